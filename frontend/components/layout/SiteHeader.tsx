"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { useSession } from "@/lib/session";
import AccountStatus from "@/components/account/AccountStatus";
import HeaderSearch from "./HeaderSearch";
import Logo from "./Logo";
import styles from "./SiteHeader.module.css";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/listening/", label: "Listening" },
  { href: "/recent/", label: "Recent" },
  { href: "/habits/", label: "Habits" },
  { href: "/recap/", label: "Recap" },
  { href: "/playback/", label: "Playback" },
  { href: "/podcasts/", label: "Podcasts" },
  { href: "/mood/", label: "Mood" },
  { href: "/genres/", label: "Genres" },
  { href: "/compare/", label: "Compare" },
  { href: "/import/", label: "Import" },
  { href: "/settings/", label: "Settings" },
];

function samePath(a: string, b: string): boolean {
  const trim = (path: string) => path.replace(/\/+$/, "") || "/";
  return trim(a) === trim(b);
}

export default function SiteHeader() {
  const pathname = usePathname();
  // On a narrow screen the navigation folds behind a button; it folds again when a link is
  // followed (the current page's too) and on every visit.
  const [open, setOpen] = useState<{ at: string } | null>(null);
  const menuOpen = open?.at === pathname;
  // Signed out, the pages behind the links are not reachable: only the brand remains.
  const signedOut = useSession().status === "signed-out";
  return (
    <header className={styles.header} data-menu={menuOpen ? "open" : "closed"}>
      <div className={styles.inner}>
        {/* Not prefetched: on every page's first load it fetched the overview's payload and
            scripts while the page itself was still loading (the nav's links, folded on a phone,
            are prefetched only once shown). */}
        <Link href="/" className={styles.brand} aria-label="Moodify home" prefetch={false}>
          <Logo />
        </Link>
        {!signedOut && (
          <>
            <HeaderSearch className={styles.search} />
            <button
              type="button"
              className={styles.menuButton}
              aria-expanded={menuOpen}
              aria-controls="site-menu"
              data-testid="menu-button"
              onClick={() => setOpen(menuOpen ? null : { at: pathname })}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true" className={styles.menuIcon}>
                {menuOpen ? (
                  <path d="M6 6l12 12M18 6L6 18" />
                ) : (
                  <path d="M4 7h16M4 12h16M4 17h16" />
                )}
              </svg>
              <span className={styles.menuLabel}>Menu</span>
            </button>
            <div className={styles.account}>
              <AccountStatus />
            </div>
            <nav id="site-menu" className={styles.nav} aria-label="Main" data-testid="main-nav">
              {NAV.map(({ href, label }) => {
                const active = samePath(pathname, href);
                return (
                  <Link
                    key={href}
                    href={href}
                    className={active ? `${styles.link} ${styles.active}` : styles.link}
                    aria-current={active ? "page" : undefined}
                    onClick={() => setOpen(null)}
                  >
                    {label}
                  </Link>
                );
              })}
            </nav>
          </>
        )}
      </div>
    </header>
  );
}
