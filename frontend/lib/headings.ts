// Each page's title and the line under it, in one place: the page shows them at once (in
// the exported HTML too, so they paint before any script runs), then again over its data.

export interface Heading {
  title: string;
  subtitle: string;
}

export const HEADINGS = {
  overview: {
    title: "Overview",
    subtitle: "Your listening at a glance: the time it took, and the tracks and artists you played most.",
  },
  listening: { title: "Listening", subtitle: "Your tops of every kind, and the hours you listen, for any range." },
  recent: { title: "Recently played", subtitle: "Every play, newest first, at the time it started." },
  habits: {
    title: "Habits",
    subtitle: "How you listen: your sessions, your streaks of listening days, and the music new to you.",
  },
  recap: {
    title: "Recap",
    subtitle: "Your listening, wrapped: a year, a month or any range you choose, ready to share as an image.",
  },
  playback: { title: "Playback", subtitle: "How you play: what you skip, where you listen, on shuffle and offline." },
  podcasts: {
    title: "Podcasts",
    subtitle: "Shows and audiobooks: time listened, episodes finished, and when you listen.",
  },
  mood: { title: "Mood", subtitle: "How your music felt, day by day. Valence is a track’s musical positiveness." },
  genres: {
    title: "Genres",
    subtitle: "The genres of the artists you play, for any range, and how their share changes over time.",
  },
  compare: {
    title: "Compare",
    subtitle: "Your listening beside a friend’s: the artists and tracks you share, and how your moods differ.",
  },
  import: {
    title: "Import your history",
    subtitle: "Your whole Spotify listening history, from the privacy export Spotify sends you.",
  },
  settings: {
    title: "Settings",
    subtitle: "Your time zone and preferences, the plays you leave out, and your data: export it or erase it.",
  },
  search: { title: "Search", subtitle: "Tracks, artists, albums, shows and audiobooks you have played" },
  // Shown only while an item's page loads; then its own header names it.
  track: { title: "Track", subtitle: "One track in your history: its plays month by month, its rank and its mood." },
  artist: {
    title: "Artist",
    subtitle: "One artist in your history: plays month by month, rank, top tracks and mood.",
  },
  album: { title: "Album", subtitle: "One album in your history: plays month by month, rank, top tracks and mood." },
  show: { title: "Show", subtitle: "One show or audiobook in your history: plays month by month, rank and top episodes." },
} satisfies Record<string, Heading>;
