"""The window's side panels, each bound both ways to the SceneModel.

A panel sets the model when the user acts, and listens to the model under a signal
blocker (see :mod:`viewer.qt.panels.quiet`), so a change from a shortcut, a lesson step or
an animation shows in the widgets without echoing back.
"""
