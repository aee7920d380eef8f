import EmptyState from "./EmptyState";

/** The empty state of a fresh install. */
export default function NoPlaysYet() {
  return (
    <EmptyState
      title={
        <>
          No plays yet — import your Spotify export with <code>moodify import</code>
        </>
      }
    >
      <p>Your top tracks, artists and the mood of your music will show up here.</p>
    </EmptyState>
  );
}
