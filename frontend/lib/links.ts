// Where each entity's page is. The dashboard is exported as static files, so an entity's id
// travels in the query string, not the path.

const page = (path: string, key: string, value: string) => `${path}?${key}=${encodeURIComponent(value)}`;

export const trackHref = (trackId: string) => page("/track/", "id", trackId);
export const artistHref = (artistId: string) => page("/artist/", "id", artistId);
export const albumHref = (albumId: string) => page("/album/", "id", albumId);
/** Shows (and audiobooks) are known by name: an export names a show but gives no id. */
export const showHref = (showName: string) => page("/show/", "name", showName);
