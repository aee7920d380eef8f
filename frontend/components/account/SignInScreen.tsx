import { LOGIN_URL } from "@/lib/api";
import Logo from "@/components/layout/Logo";
import SpotifyIcon from "./SpotifyIcon";
import styles from "./SignInScreen.module.css";

/** Shown instead of a page when the API answers 401: there is no valid session. */
export default function SignInScreen() {
  return (
    <div className={styles.screen} data-testid="sign-in-screen">
      <section className={styles.card} aria-labelledby="sign-in-title">
        <div className={styles.logo}>
          <Logo size="large" />
        </div>
        <h1 id="sign-in-title" className={styles.title}>
          Sign in to see your listening
        </h1>
        <p className={styles.lead}>
          Moodify keeps your whole Spotify listening history on your own server: your top tracks and artists, and how
          the mood of your music moves day by day.
        </p>
        {/* A plain link: signing in is a navigation to Spotify and back, never a fetch. */}
        <a className={styles.button} href={LOGIN_URL} data-testid="sign-in">
          <SpotifyIcon className={styles.spotify} />
          Sign in with Spotify
        </a>
        <p className={styles.note}>
          Your Spotify account must be on this Moodify app’s allowlist (Spotify’s development mode allows five users,
          and the app owner needs Premium).
        </p>
      </section>
    </div>
  );
}
