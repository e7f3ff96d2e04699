"""Qt-free scene: the one VTK adapter, labels, the orientation letters, camera poses, the frame pipeline, colours."""
