import socket

from workshop.serving import nodelay_on_listeners


def test_the_listener_on_our_port_gets_tcp_nodelay_and_passes_it_on():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as Streamlit binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    other.bind(("127.0.0.1", 0))
    other.listen()
    try:
        assert nodelay_on_listeners(listener.getsockname()[1]) == 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert not other.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        accepted.close()
        client.close()
        # Our listener is untouched otherwise: still open and accepting.
        assert listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
    finally:
        listener.close()
        other.close()


def test_no_listener_on_the_port_changes_nothing():
    assert nodelay_on_listeners(1) == 0


def test_looking_through_descriptors_leaks_none(tmp_path):
    import os

    opened = (tmp_path / "not-a-socket.txt").open("w")  # a descriptor that is not a socket
    try:
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(5):
            nodelay_on_listeners(1)
        assert len(os.listdir("/proc/self/fd")) == before
    finally:
        opened.close()
