"""`read_once`: sockets of one process asking the same question at the same moment share one read."""

import asyncio

import pytest

from portal.foundation.realtime import read_once


class Reads:
    """A read that counts its calls and answers when `release` is set."""

    def __init__(self):
        self.calls = 0
        self.release = asyncio.Event()

    async def __call__(self, answer="notes"):
        self.calls += 1
        await self.release.wait()
        if isinstance(answer, Exception):
            raise answer
        return f"{answer} {self.calls}"


async def test_concurrent_identical_reads_share_one_and_later_ones_read_again():
    reads = Reads()
    waiting = [asyncio.create_task(read_once("same", reads)) for _ in range(5)]
    await asyncio.sleep(0)
    reads.release.set()
    assert await asyncio.gather(*waiting) == ["notes 1"] * 5
    assert await read_once("same", reads) == "notes 2", "an answer is shared while it is read, never kept"


async def test_reads_with_different_keys_are_not_shared():
    reads = Reads()
    first = asyncio.create_task(read_once(("user", 1), reads))
    second = asyncio.create_task(read_once(("user", 2), reads))
    await asyncio.sleep(0)
    reads.release.set()
    assert sorted(await asyncio.gather(first, second)) == ["notes 2", "notes 2"]
    assert reads.calls == 2


async def test_a_failed_read_fails_every_socket_that_shared_it():
    reads = Reads()
    waiting = [asyncio.create_task(read_once("same", lambda: reads(LookupError("gone")))) for _ in range(3)]
    await asyncio.sleep(0)
    reads.release.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert [type(result) for result in results] == [LookupError] * 3
    assert reads.calls == 1


async def one_closes(reads: Reads, closing: str) -> tuple[asyncio.Task, asyncio.Task]:
    """A socket reads, a second waits for its answer, then `closing` ("reader" or "waiter") closes."""
    reader = asyncio.create_task(read_once("same", reads))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(read_once("same", reads))
    await asyncio.sleep(0)
    (reader if closing == "reader" else waiter).cancel()
    await asyncio.sleep(0)
    reads.release.set()
    return reader, waiter


async def test_when_the_reading_socket_closes_the_others_read_for_themselves():
    reads = Reads()
    reader, waiter = await one_closes(reads, "reader")
    assert await waiter == "notes 2"
    with pytest.raises(asyncio.CancelledError):
        await reader


async def test_a_waiting_socket_that_closes_leaves_the_read_to_the_others():
    reads = Reads()
    reader, _waiter = await one_closes(reads, "waiter")
    assert await reader == "notes 1"
    assert reads.calls == 1
