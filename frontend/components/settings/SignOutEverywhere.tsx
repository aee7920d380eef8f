"use client";

import { LOGOUT_EVERYWHERE_URL } from "@/lib/erasure";
import { useMe } from "@/lib/session";
import Panel from "@/components/primitives/Panel";
import styles from "./SettingForm.module.css";

/**
 * End every session of the user, in every browser and on every device, this one too (a
 * form POST, as signing out of this browser is). Without sign-in there is none.
 */
export default function SignOutEverywhere() {
  const me = useMe();
  if (!me) return null;
  return (
    <Panel
      title="Sign out everywhere"
      subtitle="Ends every session of yours: a lost phone or a shared computer is signed out too."
      testId="sign-out-everywhere"
    >
      {me.sign_in.state === "not_connected" ? (
        <p className={styles.muted}>This Moodify has no Spotify sign-in: there is no session to end.</p>
      ) : (
        <form method="post" action={LOGOUT_EVERYWHERE_URL} className={styles.actions}>
          <button type="submit" className={styles.button} data-testid="sign-out-everywhere-submit">
            Sign out everywhere
          </button>
          <p className={styles.muted}>On AWS a page already open may still load for up to five minutes.</p>
        </form>
      )}
    </Panel>
  );
}
