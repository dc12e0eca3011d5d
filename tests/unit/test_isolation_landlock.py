"""Landlock rights by ABI version and their description (no ruleset is enforced here)."""

from __future__ import annotations

from athena_kernel.isolation import landlock as ll


def test_handled_filesystem_rights_grow_with_the_abi() -> None:
    assert ll.handled_fs_rights(0) == 0
    assert ll.handled_fs_rights(1) == (1 << 13) - 1
    assert ll.handled_fs_rights(2) & ll.ACCESS_FS_REFER
    assert not ll.handled_fs_rights(2) & ll.ACCESS_FS_TRUNCATE
    assert ll.handled_fs_rights(3) & ll.ACCESS_FS_TRUNCATE
    assert not ll.handled_fs_rights(4) & ll.ACCESS_FS_IOCTL_DEV
    assert ll.handled_fs_rights(5) & ll.ACCESS_FS_IOCTL_DEV
    assert ll.handled_fs_rights(7) == (1 << 16) - 1


def test_network_rights_and_scopes_by_abi() -> None:
    assert ll.handled_net_rights(3) == 0
    assert ll.handled_net_rights(4) == ll.ACCESS_NET_BIND_TCP | ll.ACCESS_NET_CONNECT_TCP
    assert ll.scopes(5) == 0
    assert ll.scopes(6) == ll.SCOPE_ABSTRACT_UNIX_SOCKET | ll.SCOPE_SIGNAL


def test_ruleset_attr_size_follows_the_abi() -> None:
    assert ll._attr_size(1) == 8
    assert ll._attr_size(4) == 16
    assert ll._attr_size(6) == 24


def test_scratch_gets_no_execute_or_device_rights() -> None:
    assert not ll.WRITE_RIGHTS & ll.ACCESS_FS_EXECUTE
    assert not ll.WRITE_RIGHTS & (ll.ACCESS_FS_MAKE_CHAR | ll.ACCESS_FS_MAKE_BLOCK)
    assert not ll.WRITE_RIGHTS & ll.ACCESS_FS_IOCTL_DEV
    assert ll.READ_RIGHTS == ll.ACCESS_FS_READ_FILE | ll.ACCESS_FS_READ_DIR


def test_describe_rights() -> None:
    assert ll.describe_rights(ll.READ_RIGHTS) == "read,list"
    assert ll.describe_rights(0) == "none"
