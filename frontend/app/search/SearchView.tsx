"use client";

import { useCallback, useId, type FormEvent } from "react";
import { search } from "@/lib/search";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import { HEADINGS } from "@/lib/headings";
import SearchResultsList from "@/components/search/SearchResults";
import PageHeading from "@/components/primitives/PageHeading";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import styles from "./SearchView.module.css";

export default function SearchView() {
  const [query, setQuery] = useQuery();
  const q = query.get("q")?.trim() ?? "";
  const inputId = useId();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = new FormData(event.currentTarget).get("q");
    setQuery({ q: typeof typed === "string" && typed.trim() ? typed.trim() : undefined });
  };
  return (
    <>
      <PageHeading {...HEADINGS.search} />
      <form role="search" className={styles.form} onSubmit={onSubmit} action="/search/" method="get">
        <label htmlFor={inputId} className="visually-hidden">
          Name to search for
        </label>
        <input
          key={q}
          id={inputId}
          name="q"
          type="search"
          defaultValue={q}
          className={styles.input}
          placeholder="An artist, a track, an album or a show"
          maxLength={100}
          autoComplete="off"
          data-testid="search-input"
        />
        <button type="submit" className={styles.button}>
          Search
        </button>
      </form>
      {q ? <Results query={q} /> : <EmptyState title="Type a name to search your listening" />}
    </>
  );
}

function Results({ query }: { query: string }) {
  const results = useApi(useCallback(() => search(query), [query]));
  return (
    <Loaded state={results} loadingLabel="Searching…">
      {(answer) => <SearchResultsList results={answer} />}
    </Loaded>
  );
}
