"""survey.accepting: a listening socket registered with EPOLLEXCLUSIVE wakes one of the
selectors waiting on it; other descriptors behave as with the standard selector."""

import select
import selectors
import socket
import threading
from types import SimpleNamespace

import pytest

from survey.accepting import ExclusiveAccept, wake_one_worker

pytestmark = pytest.mark.skipif(
    not hasattr(select, "EPOLLEXCLUSIVE"), reason="EPOLLEXCLUSIVE is Linux's"
)


@pytest.fixture
def listener():
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


def _waiting(selectors_waiting: list[selectors.BaseSelector]):
    """Each selector waiting in a thread of its own, once the barrier is passed: the threads,
    the barrier, and the list of the selectors that saw the new connection. Nobody accepts it:
    the listener stays readable, so a selector woken sees it."""
    seen = []
    ready = threading.Barrier(len(selectors_waiting) + 1)

    def wait(selector) -> None:
        ready.wait()
        if selector.select(timeout=1.0):
            seen.append(selector)

    threads = [threading.Thread(target=wait, args=(s,)) for s in selectors_waiting]
    for thread in threads:
        thread.start()
    return threads, ready, seen


@pytest.mark.parametrize(("kind", "expected"), [(ExclusiveAccept, 1), (None, 3)])
def test_a_connection_wakes_one_exclusive_selector(listener, kind, expected):
    waiting = [
        kind(frozenset({listener.fileno()})) if kind else selectors.EpollSelector()
        for _ in range(3)
    ]
    for selector in waiting:
        selector.register(listener, selectors.EVENT_READ)
    threads, ready, seen = _waiting(waiting)
    ready.wait()
    threading.Event().wait(0.5)  # every thread inside select()
    client = socket.create_connection(listener.getsockname())
    for thread in threads:
        thread.join()
    client.close()
    for selector in waiting:
        selector.close()
    assert len(seen) == expected


def test_a_listener_can_be_modified_unregistered_and_registered_again(listener):
    selector = ExclusiveAccept(frozenset({listener.fileno()}))
    selector.register(listener, selectors.EVENT_READ, "accept")
    key = selector.modify(listener, selectors.EVENT_READ, "accept later")
    assert key.data == "accept later"
    selector.unregister(listener)
    selector.register(listener, selectors.EVENT_READ, "accept")
    client = socket.create_connection(listener.getsockname())
    assert [key.data for key, _events in selector.select(timeout=1.0)] == ["accept"]
    client.close()
    selector.close()


def test_other_descriptors_are_registered_as_usual(listener):
    reader, writer = socket.socketpair()
    selector = ExclusiveAccept(frozenset({listener.fileno()}))
    selector.register(reader, selectors.EVENT_READ, "read")
    selector.modify(reader, selectors.EVENT_READ, "read again")
    writer.send(b"x")
    assert [key.data for key, _events in selector.select(timeout=1.0)] == ["read again"]
    for thing in (selector, reader, writer):
        thing.close()


def test_a_worker_gets_the_selector_only_where_it_is_the_one_described(listener):
    worker = SimpleNamespace(poller=selectors.EpollSelector(), sockets=[listener])
    assert wake_one_worker(worker)
    assert isinstance(worker.poller, ExclusiveAccept)
    assert worker.poller.listeners == {listener.fileno()}
    worker.poller.close()
    for other in (
        SimpleNamespace(poller=selectors.PollSelector(), sockets=[listener]),  # not epoll
        SimpleNamespace(poller=selectors.EpollSelector(), sockets=[]),  # nothing to listen on
        SimpleNamespace(sockets=[listener]),  # a worker without a selector
    ):
        poller = getattr(other, "poller", None)
        assert not wake_one_worker(other)
        assert getattr(other, "poller", None) is poller
        if poller is not None:
            poller.close()
