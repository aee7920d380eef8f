import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link to a track's, artist's, album's or show's page, never prefetched: every entity is
 * the same exported page with its key in the query, so prefetching a list's links would
 * fetch that one page's payload again for every row.
 */
export default function EntityLink(props: Omit<ComponentProps<typeof Link>, "prefetch">) {
  return <Link {...props} prefetch={false} />;
}
