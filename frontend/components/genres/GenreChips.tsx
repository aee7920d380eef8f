import type { ArtistGenre } from "@/lib/genres";
import styles from "./GenreChips.module.css";

const PROVIDERS: Record<string, string> = { spotify: "Spotify", musicbrainz: "MusicBrainz" };

/**
 * An artist's genres as chips, one per parent genre with its raw genres after it, inline
 * (they sit in a header's byline); nothing when no provider knows the artist's genres.
 */
export default function GenreChips({ genres }: { genres: ArtistGenre[] }) {
  if (genres.length === 0) return null;
  const parents = new Map<string, ArtistGenre[]>();
  for (const genre of genres) parents.set(genre.parent_genre, [...(parents.get(genre.parent_genre) ?? []), genre]);
  const providers = [...new Set(genres.map((genre) => PROVIDERS[genre.provider] ?? genre.provider))].join(" and ");
  return (
    <span className={styles.chips} data-testid="genre-chips">
      <span className="visually-hidden">Genres: </span>
      {[...parents].map(([parent, raw]) => {
        const names = raw.map((genre) => genre.genre).filter((name) => name !== parent.toLowerCase());
        return (
          <span key={parent} className={styles.chip} data-testid="genre-chip">
            <span className={styles.parent}>{parent}</span>
            {names.length > 0 && <span className={styles.raw}> · {names.join(", ")}</span>}
          </span>
        );
      })}
      <span className={styles.source}>from {providers}</span>
    </span>
  );
}
