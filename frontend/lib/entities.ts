// The entity pages' API: one track, artist, album or show, its figures in a range and its
// whole history. An id may be a provisional `name:` key holding slashes: it is sent encoded.

import { ApiError, getJson, type DateRange, type Schemas, type TopMeasure } from "./api";

export type TrackEntity = Schemas["TrackEntity"];
export type ArtistEntity = Schemas["ArtistEntity"];
export type AlbumEntity = Schemas["AlbumEntity"];
export type ShowEntity = Schemas["ShowEntity"];
export type EntityMonth = Schemas["EntityMonth"];
export type EntityMood = Schemas["EntityMood"];
export type EntityTrack = Schemas["EntityTrack"];
export type EntityEpisode = Schemas["EntityEpisode"];
export type AlbumRef = Schemas["AlbumRef"];

/** What every entity answers. */
export type Entity = TrackEntity | ArtistEntity | AlbumEntity | ShowEntity;

export type EntityKind = "track" | "artist" | "album" | "show";

/** An entity, or the API's word that there is none by that id (or none the user played). */
export type Lookup<T> = { found: true; entity: T } | { found: false; message: string };

async function lookUp<T>(path: string, params: Record<string, string | number | undefined>): Promise<Lookup<T>> {
  try {
    return { found: true, entity: await getJson<T>(path, params) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { found: false, message: error.message };
    throw error;
  }
}

/** How many top tracks (or episodes) an entity page lists. */
export const ENTITY_TOP_LIMIT = 20;

export type EntityLoader<T> = (key: string, range: DateRange, by: TopMeasure) => Promise<Lookup<T>>;

export const getTrack: EntityLoader<TrackEntity> = (id, range) =>
  lookUp(`/api/v1/tracks/${encodeURIComponent(id)}`, { ...range });

export const getArtist: EntityLoader<ArtistEntity> = (id, range, by) =>
  lookUp(`/api/v1/artists/${encodeURIComponent(id)}`, { ...range, by, limit: ENTITY_TOP_LIMIT });

export const getAlbum: EntityLoader<AlbumEntity> = (id, range, by) =>
  lookUp(`/api/v1/albums/${encodeURIComponent(id)}`, { ...range, by, limit: ENTITY_TOP_LIMIT });

/** Shows are known by name: an export names a show but gives it no id. */
export const getShow: EntityLoader<ShowEntity> = (name, range, by) =>
  lookUp("/api/v1/shows", { name, ...range, by, limit: ENTITY_TOP_LIMIT });

/** Each kind's loader, for the request a page starts before /me has answered. */
export const ENTITY_LOADERS: { [K in EntityKind]: EntityLoader<Entity> } = {
  track: getTrack,
  artist: getArtist,
  album: getAlbum,
  show: getShow,
};
