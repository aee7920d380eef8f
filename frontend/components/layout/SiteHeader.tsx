"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useSession } from "@/lib/session";
import AccountStatus from "@/components/account/AccountStatus";
import Logo from "./Logo";
import styles from "./SiteHeader.module.css";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/mood/", label: "Mood" },
  { href: "/import/", label: "Import" },
];

function samePath(a: string, b: string): boolean {
  const trim = (path: string) => path.replace(/\/+$/, "") || "/";
  return trim(a) === trim(b);
}

export default function SiteHeader() {
  const pathname = usePathname();
  // Signed out, the pages behind the links are not reachable: only the brand remains.
  const signedOut = useSession().status === "signed-out";
  return (
    <header className={styles.header}>
      <div className={styles.inner}>
        <Link href="/" className={styles.brand} aria-label="Moodify home">
          <Logo />
        </Link>
        {!signedOut && (
          <nav className={styles.nav} aria-label="Main">
            {NAV.map(({ href, label }) => {
              const active = samePath(pathname, href);
              return (
                <Link
                  key={href}
                  href={href}
                  className={active ? `${styles.link} ${styles.active}` : styles.link}
                  aria-current={active ? "page" : undefined}
                >
                  {label}
                </Link>
              );
            })}
          </nav>
        )}
        {!signedOut && <AccountStatus />}
      </div>
    </header>
  );
}
