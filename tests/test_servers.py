"""The test fixtures' port picking: a fixture picks all its ports before any server binds one."""

from tests.servers import free_port, free_port_block


def test_ports_handed_out_are_never_handed_out_again() -> None:
    block = free_port_block(12)
    singles = [free_port() for _ in range(2_000)]

    assert len(set(singles)) == len(singles)
    assert not set(singles) & set(range(block, block + 12))
