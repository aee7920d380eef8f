import Panel from "@/components/primitives/Panel";
import styles from "./ExportHelp.module.css";

const PRIVACY_PAGE = "https://www.spotify.com/account/privacy/";

/** How to get the export from Spotify, and what Moodify does with it. */
export default function ExportHelp() {
  return (
    <Panel title="Get your export from Spotify" subtitle="Once; the hourly pulls keep it up to date afterwards">
      <ol className={styles.steps}>
        <li>
          Open Spotify’s{" "}
          <a href={PRIVACY_PAGE} target="_blank" rel="noreferrer">
            privacy page
          </a>{" "}
          and sign in.
        </li>
        <li>
          Tick <strong>Extended streaming history</strong> (every play since your account began; “Account
          data” holds only the last year) and request the data.
        </li>
        <li>Confirm the request in the email Spotify sends you.</li>
        <li>
          Wait for the download link: Spotify says it arrives <strong>within 30 days</strong>, often sooner.
        </li>
        <li>
          Upload <code>my_spotify_data.zip</code> here as it is; there is no need to unzip it.
        </li>
      </ol>
      <ul className={styles.promises}>
        <li>Moodify drops the IP addresses in the export before anything is stored.</li>
        <li>A file it cannot read is set aside with the reason, and the rest is imported.</li>
        <li>Importing the same export again changes nothing.</li>
      </ul>
    </Panel>
  );
}
