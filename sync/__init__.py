"""Lab nodes: a Hunar per center that keeps teaching offline and syncs with the server."""
