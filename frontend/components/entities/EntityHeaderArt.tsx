import Artwork from "@/components/primitives/Artwork";

/** An entity's artwork, at its header's size. */
export default function EntityHeaderArt(props: { src: string | null; name: string; round?: boolean }) {
  return <Artwork {...props} size={112} />;
}
