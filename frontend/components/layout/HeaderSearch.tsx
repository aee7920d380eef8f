"use client";

import { useRouter } from "next/navigation";
import { useId, type FormEvent } from "react";
import { searchHref } from "@/lib/search";
import styles from "./HeaderSearch.module.css";

/** A search box in the header: it opens the search page with what was typed. */
export default function HeaderSearch({ className }: { className?: string }) {
  const router = useRouter();
  const inputId = useId();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = new FormData(event.currentTarget).get("q");
    if (typeof query === "string" && query.trim()) router.push(searchHref(query.trim()));
  };
  // Without JavaScript the form still works: a GET to the search page.
  return (
    <form
      role="search"
      action="/search/"
      method="get"
      className={className ? `${styles.form} ${className}` : styles.form}
      onSubmit={onSubmit}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Search your tracks, artists, albums and shows
      </label>
      <svg viewBox="0 0 24 24" className={styles.icon} aria-hidden="true">
        <circle cx="11" cy="11" r="6.5" />
        <path d="M16 16l4.5 4.5" />
      </svg>
      <input
        id={inputId}
        name="q"
        type="search"
        className={styles.input}
        placeholder="Search"
        autoComplete="off"
        maxLength={100}
        data-testid="header-search"
      />
    </form>
  );
}
