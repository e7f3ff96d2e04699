"""Qt-free state: the evented scene model, the lesson player, camera-follow tours, names."""
