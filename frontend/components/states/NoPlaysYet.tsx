import Link from "next/link";
import EmptyState from "./EmptyState";

/** The empty state of a fresh install. */
export default function NoPlaysYet() {
  return (
    <EmptyState title="No plays yet — import your Spotify export">
      <p>
        <Link href="/import/">Upload it on the Import page</Link> (or run <code>moodify import</code> on the
        machine that serves Moodify). Your top tracks, artists and the mood of your music will show up here.
      </p>
    </EmptyState>
  );
}
