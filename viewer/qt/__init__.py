"""The Qt application: window, canvas, animator, presenter mode, menus, dialogs and panels."""
