import EntityLink from "@/components/primitives/EntityLink";
import { Fragment } from "react";
import { artistHref } from "@/lib/links";
import styles from "./TopList.module.css";

interface ArtistLinksProps {
  artists: { artist_id: string; name: string }[];
}

/** Artist names, each linking to its page, separated by commas. */
export default function ArtistLinks({ artists }: ArtistLinksProps) {
  return (
    <>
      {artists.map((artist, index) => (
        <Fragment key={artist.artist_id}>
          {index > 0 && ", "}
          <EntityLink className={styles.link} href={artistHref(artist.artist_id)}>
            {artist.name}
          </EntityLink>
        </Fragment>
      ))}
    </>
  );
}
