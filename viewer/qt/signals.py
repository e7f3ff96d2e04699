"""Ctrl+C and SIGTERM close the viewer cleanly, from the first moment of start-up.

Standard library only (Qt is imported when the window is watched), so the command line can
install it before numpy, VTK and Qt are loaded.
"""

from __future__ import annotations


class CloseOnSignal:
    """Ctrl+C in the terminal, or a SIGTERM from the session ending, closes the window the way
    Ctrl+Q does (animations stopped, plotter closed, exit status 0).

    Python only runs its signal handlers when the interpreter gets control, which an idle
    Qt event loop never gives it: the C-level handler writes to a socket that Qt watches,
    and reading it lets Python run the handler at once. A signal that arrives before the
    window exists closes it as soon as it is shown. The command line installs it before
    anything heavy is imported.
    """

    def __init__(self) -> None:
        import signal
        import socket

        self.window = None
        self.requested = False
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        self._notifier = None

    def watch(self, app) -> None:
        from PyQt6.QtCore import QSocketNotifier

        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, app)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            self._read.recv(64)
        except BlockingIOError:
            pass

    def _handle(self, _signum, _frame) -> None:
        self.requested = True
        if self.window is not None:
            self.window.close()

    def attach(self, window) -> None:
        from PyQt6.QtCore import QTimer

        self.window = window
        if self.requested:
            # Closed from inside the event loop, so the loop sees its last window close and ends.
            QTimer.singleShot(0, window.close)

    def restore(self) -> None:
        """Put the previous handlers back; safe to call more than once."""
        import signal

        if self._read is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._read.close()
        self._write.close()
        self._read = self._write = None
