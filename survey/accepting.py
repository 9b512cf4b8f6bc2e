"""gunicorn's gthread workers woken one at a time for a new connection.

Every worker waits on the same listening socket, and Linux wakes all the workers waiting on it
for each new connection: one accepts it, the others find nothing and go back to waiting. With
three workers on two cores, and a participant's requests each on a new connection
(gunicorn.conf.py), that was about a tenth of the server's CPU per questionnaire
(docs/benchmarks.md, "Found on the way"). Registered with EPOLLEXCLUSIVE (Linux 4.5 and later),
the socket wakes one of the waiting workers. A worker with no room for another connection stops
waiting on the socket (gthread's cap, `worker_connections`), so the others take the new ones, as
before. gunicorn.conf.py installs it in each worker before the worker serves; where the system
or the worker is not the one described here, the worker keeps its own selector.
"""

from __future__ import annotations

import select
import selectors


class ExclusiveAccept(selectors.EpollSelector):
    """An epoll selector that waits on the listening sockets with EPOLLEXCLUSIVE."""

    def __init__(self, listeners: frozenset[int]) -> None:
        super().__init__()
        self.listeners = listeners

    def register(self, fileobj, events, data=None) -> selectors.SelectorKey:
        key = super().register(fileobj, events, data)
        if key.fd in self.listeners:
            # The flag can only be given when a descriptor is added to the epoll set.
            flags = select.EPOLLEXCLUSIVE
            flags |= select.EPOLLIN if events & selectors.EVENT_READ else 0
            flags |= select.EPOLLOUT if events & selectors.EVENT_WRITE else 0
            self._selector.unregister(key.fd)
            self._selector.register(key.fd, flags)
        return key

    def modify(self, fileobj, events, data=None) -> selectors.SelectorKey:
        key = self.get_key(fileobj)
        if key.fd not in self.listeners:
            return super().modify(fileobj, events, data)
        self.unregister(fileobj)  # epoll refuses to modify an exclusive registration
        return self.register(fileobj, events, data)


def wake_one_worker(worker) -> bool:
    """Give a gthread worker, before it serves, a selector that wakes one worker per new
    connection; False (and the worker unchanged) where that cannot be done."""
    poller = getattr(worker, "poller", None)
    sockets = getattr(worker, "sockets", None)
    if not hasattr(select, "EPOLLEXCLUSIVE") or type(poller) is not selectors.EpollSelector:
        return False
    if not sockets or poller.get_map():
        return False  # nothing to listen on, or the worker already waits on something
    worker.poller = ExclusiveAccept(frozenset(socket.fileno() for socket in sockets))
    poller.close()
    return True
