"""The demo: a generated listening history and a simulated Spotify and ReccoBeats; never
part of a Lambda bundle."""
