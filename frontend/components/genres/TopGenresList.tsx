import type { TopMeasure } from "@/lib/api";
import { formatDuration, formatInt, formatPercent } from "@/lib/format";
import type { TopGenres } from "@/lib/genres";
import BarList from "@/components/charts/BarList";

/** The parent genres of a range, each over a bar of its share of the music listening time. */
export default function TopGenresList({ genres, by }: { genres: TopGenres; by: TopMeasure }) {
  const most = Math.max(...genres.items.map((item) => (by === "plays" ? item.plays : item.listening_ms)), 1);
  return (
    <BarList
      testId="top-genres"
      rows={genres.items.map((item, index) => ({
        key: item.parent_genre,
        rank: index + 1,
        label: item.parent_genre,
        value: by === "plays" ? `${formatInt(item.plays)} plays` : formatPercent(item.share),
        ratio: (by === "plays" ? item.plays : item.listening_ms) / most,
        meta: (
          <>
            {formatDuration(item.listening_ms)} · {formatInt(item.plays)} plays
            {item.genres.length > 0 && <> · {item.genres.map((genre) => genre.genre).join(", ")}</>}
          </>
        ),
      }))}
    />
  );
}
