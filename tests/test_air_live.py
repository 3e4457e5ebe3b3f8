"""`ticker air` on 127.0.0.1: ffmpeg sends a varied 576i50 MPEG-2 programme with a rising tone for 30 s as a live
UDP stream (put on a known timeline by a relay); campaign one's slot, approved and made by the night, is at the
sender's 5.00 s for 10 s; what comes out is written by a plain UDP socket and checked as a headend engineer
would: a constant rate between PCRs, PCRs at most 40 ms apart, null packets, no continuity error, the station
file's service, one picture a picture period throughout; the pictures outside the airings the input's, those
inside it the input with the night's clip over it, from the input's picture at 5.00 s to the last before 15.00 s;
the sound's packets the input's, byte for byte; the airing in the records, and found by `ticker watch` in what
went out. Then the input cut for three seconds (the last picture held, then black, silence); campaign three's
airings switched off mid-way, its approval revoked mid-way, and SIGTERM mid-way (each recorded to its last
picture); campaign two, approved after the night, skipped and said. And `--check`'s refusals."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import signal
import socket
import subprocess
import sys
import time
import zoneinfo

import av
import numpy as np
import pytest

from ticker.air.cues import split, with_cues
from ticker.air.stream import Coding
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.station.file import Channel, Network
from ticker.watch.tap import PACKET, crc32

from support.campaigns import ONE_CLIP
from support.cues import splice_insert, splice_time
from support.running import run_ticker
from support.transport import Recorder, Relay, check

SECONDS = 30
START, END = 5.0, 15.0  # campaign one's airing, of the sender's timeline
LOST = (16.0, 19.0)  # the input cut: nothing arrives
# campaign three's slot (at whole seconds, as slots are), 3 s an airing: the first switched off in it and on
# again after; the second's approval revoked in it, approved again after; the third ended by SIGTERM
AGAIN, OFF, ON = 20.0, 21.0, 23.1
THIRD, REVOKE, AGAIN_APPROVED = 24.0, 25.0, 27.1
FOURTH, TERM = 28.0, 29.4
SHORT = 3.0
LATE = 29.0  # campaign two's airing, approved after the night made its clips
NETWORK = Network(original_network_id=8, transport_stream_id=7, service_id=101, service_type=0x01, encoder="mpeg2",
                  bitrate=4_000_000)  # fmt: skip
CHANNEL = Channel("HGTV", "576i50", essential=False, network=NETWORK)
# SCTE-35 cues the playout system puts in the programme (on PID 0x0500): when each is sent and the picture it
# splices, both of the sender's timeline (the second after the cut, when the output's timeline is moved)
CUES = ((2.0, 4.0), (21.5, 24.0))
CUE_PID = 0x0500


def _ports(n: int) -> list[int]:
    """Free UDP ports of 127.0.0.1, all different (each held until all are found)."""
    held = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    for s in held:
        s.bind(("127.0.0.1", 0))
    found = [s.getsockname()[1] for s in held]
    for s in held:
        s.close()
    return found


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("air")
    programme = base / "programme.ts"
    picture = "testsrc2=size=720x576:rate=50,interlace=scan=tff:lowpass=0,setsar=16/15"
    tone = "aevalsrc=0.3*sin(2*PI*(300+40*t)*t):s=48000"  # a rising tone: no two packets of sound alike
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", tone,
                    "-t", str(SECONDS), "-c:v", "mpeg2video", "-b:v", "6M",
                    "-maxrate", "6M", "-bufsize", "1835008", "-g", "12", "-bf", "2", "-flags", "+ildct+ilme",
                    "-field_order", "tt", "-c:a", "mp2", "-b:a", "192k", "-f", "mpegts", str(programme)],
                   check=True)  # fmt: skip
    with av.open(str(programme)) as c:
        first = next(c.decode(video=0)).pts
    return {"base": base, "programme": programme, "first_pts": first}


def _cued(first_pts: int):
    """The relay's rewrite: the programme's PMT with its cues, and each cue added to the datagram it is due in."""
    due, counter = list(enumerate(CUES, 1)), 0

    def rewrite(seconds: float, data: bytes) -> bytes:
        nonlocal counter
        packets = [data[n : n + PACKET] for n in range(0, len(data), PACKET)]
        packets = [(with_cues(p, CUE_PID) or p) if p[1:3] == b"\x50\x00" else p for p in packets]  # (PID 0x1000)
        while due and due[0][1][0] <= seconds:
            event, (_, at) = due.pop(0)
            made, counter = split(splice_insert(event, first_pts + round(at * 90000)), CUE_PID, counter)
            packets += made
        return b"".join(packets)

    return rewrite


def _cues_out(path) -> tuple[int, list[bytes]]:
    """The output's cue stream's PID and sections."""
    with av.open(str(path)) as c:
        found = [d for d in c.streams.data if d.name == "scte_35"]
        assert len(found) == 1, [(d.name, d.id) for d in c.streams.data]
        return found[0].id, [bytes(p) for p in c.demux(found[0]) if p.size]


def _pictures(path) -> dict[int, np.ndarray]:
    """Each picture's luma by its timestamp (90 kHz)."""
    with av.open(str(path)) as c:
        return {f.pts: f.to_ndarray(format="gray") for f in c.decode(video=0) if f.pts is not None}


def _sound(data) -> list[tuple[bytes, float]]:
    """Each packet of sound, and its stream seconds."""
    with av.open(data) as c:
        return [(bytes(p), float(p.pts * p.time_base)) for p in c.demux(audio=0) if p.size and p.pts is not None]


def _peak(path, start: float, end: float) -> float:
    """The sound's loudest sample between `start` and `end` (stream seconds), of full scale."""
    with av.open(str(path)) as c:
        samples = [f.to_ndarray() for f in c.decode(audio=0) if f.time is not None and start <= f.time < end]
    assert samples, (start, end)
    return float(np.abs(np.concatenate(samples, axis=None)).max()) / (1 << 15)  # (MPEG audio decodes to s16)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def _band_rows(clip) -> tuple[int, int]:
    with av.open(str(clip)) as c:
        alpha = next(c.decode(video=0)).to_ndarray(format="rgba")[..., 3]
    rows = np.flatnonzero(alpha.max(axis=1))
    return int(rows[0]), int(rows[-1]) + 1


def _within(part: list[bytes], whole: list[bytes]) -> bool:
    """Whether each of `part`'s packets is one of `whole`'s, in the same order (the recording begins and ends
    mid-stream)."""
    at = {p: i for i, p in enumerate(whole)}
    found = [at.get(p) for p in part]
    return None not in found and found == sorted(found)  # type: ignore[type-var]


STATION = """
[station]
name = "Công ty TNHH Truyền hình cáp Hậu Giang"
timezone = "Asia/Ho_Chi_Minh"
[[channel]]
name = "HGTV"
picture = "576i50"
essential = false
[channel.network]
original_network_id = 8
transport_stream_id = 7
service_id = 101
encoder = "mpeg2"
bitrate = "4M"
[[channel]]
name = "VTV1"
picture = "576i50"
must_carry = true
"""


def _campaign(campaigns, name: str, words: str, at: dt.datetime, times: tuple[float, ...], seconds: float) -> None:
    """A campaign of the day with a slot on HGTV at `times` of the sender's timeline (START is `at`)."""
    moments = ", ".join(f'"{at + dt.timedelta(seconds=t - START):%H:%M:%S}"' for t in times)
    text = ONE_CLIP.replace("loop = true", "slots = true").replace('name = "one"', f'name = "{name}"')
    text = text.replace("Xin chào Việt Nam", words).replace("2020-03-01", f"{at:%Y-%m-%d}")
    slot = f'[[slot]]\nat = [{moments}]\nseconds = {seconds:g}\nchannels = ["HGTV"]\n'
    (campaigns / f"{name}.toml").write_text(text.replace("2020-03-31", f"{at:%Y-%m-%d}") + slot, encoding="utf-8")
    run_ticker("approve", campaigns / f"{name}.toml", "--by", "Nguyễn Thị Lan", cwd=campaigns.parent)


def _folder(base, at: dt.datetime):
    campaigns = base / "campaigns"
    campaigns.mkdir()
    (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
    _campaign(campaigns, "one", "Xin chào Việt Nam", at, (START,), END - START)
    _campaign(campaigns, "three", "Tiêm chủng đầy đủ", at, (AGAIN, THIRD, FOURTH), SHORT)
    run_ticker("nightly", campaigns, "-o", base / "out", "--date", f"{at:%Y-%m-%d}", cwd=base)
    # a campaign approved after the night: its airing has no clip, and is skipped, said as an alarm
    _campaign(campaigns, "two", "Rửa tay thường xuyên", at, (LATE,), SHORT)
    return campaigns


@pytest.mark.slow
def test_the_crawl_is_inserted_at_its_minute_and_the_rest_of_the_channel_passes_as_it_came(made, tmp_path):
    zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    lead = 14.0  # seconds from now to the slot: the night makes its clips in them, then the sender starts
    for attempt in range(2):  # (a busy machine's night may take longer: then once again, with room for it)
        base = tmp_path / f"night{attempt}"
        base.mkdir()
        began = time.time()
        at = (dt.datetime.now(zone) + dt.timedelta(seconds=lead)).replace(microsecond=0)
        if at.date() != (at + dt.timedelta(seconds=40)).date():
            pytest.skip("at midnight: the airing would be tomorrow's")
        campaigns = _folder(base, at)
        first_at = at.timestamp() - START  # the sender's 0.00 s: the slot is START seconds into the programme
        if time.time() < first_at - 1:
            break
        lead = 2 * (time.time() - began) + START + 2
    else:
        pytest.fail("the night took too long to make the airing's clip, twice")
    send, into, out = _ports(3)
    recording = tmp_path / "recorded.ts"
    recorder = Recorder(out, recording)
    air = subprocess.Popen([sys.executable, "-m", "ticker", "air", campaigns, "--channel", "HGTV", "--in",
                            f"udp://127.0.0.1:{into}", "--out", f"udp://127.0.0.1:{out}", "-o", base / "out",
                            "--instance", "main"],
                           cwd=tmp_path, stderr=subprocess.PIPE, text=True)  # fmt: skip
    relay = Relay(send, into, first_at, LOST, _cued(made["first_pts"]))
    sender = None
    try:
        sender = subprocess.Popen([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-re",
                                   "-readrate_initial_burst", "0", "-i", str(made["programme"]), "-c", "copy", "-f",
                                   "mpegts", f"udp://127.0.0.1:{send}?pkt_size=1316"])  # fmt: skip

        def when_sent(moment: float, *args) -> float:
            """`ticker` run with `args` at `moment` of the sender's timeline; the moment it returned."""
            while time.time() < first_at + moment:
                time.sleep(0.01)
            run_ticker(*args, cwd=tmp_path)
            return time.time() - first_at

        off_at = when_sent(OFF, "air", campaigns, "--channel", "HGTV", "--off", "--by", "Lan")
        when_sent(ON, "air", campaigns, "--channel", "HGTV", "--on", "--by", "Lan")
        revoked_at = when_sent(REVOKE, "approve", campaigns / "three.toml", "--revoke", "--by", "Lan")
        when_sent(AGAIN_APPROVED, "approve", campaigns / "three.toml", "--by", "Lan")
        while time.time() < first_at + TERM:
            time.sleep(0.01)
        air.send_signal(signal.SIGTERM)
        term_at = time.time() - first_at
        _, err = air.communicate(timeout=30)
    finally:
        for process in (air, sender):
            if process is not None and process.poll() is None:
                process.kill()
        relay.close()
    recorder.close()
    assert air.returncode == 0 and "stopped; what was inserted is recorded" in err and "Traceback" not in err, err

    # what was inserted, in the records
    line, cut, revoked, ended = [json.loads(t) for f in (campaigns / "records").glob("*/air@HGTV*.jsonl")
                 for t in f.read_text(encoding="utf-8").splitlines() if t]  # fmt: skip
    assert line["kind"] == "airing" and line["source"] == "air" and line["campaign"] == "one"
    assert line["version"].startswith("sha256:") and line["clock"]["basis"] == "host"
    assert line["instance"] == "main" and 0 < line["delay"] < 1.0, line  # (the reserve: some 6 pictures)
    clip = base / "out" / f"{at:%Y-%m-%d}" / line["file"]
    state = json.loads((campaigns / "records" / "air-status-HGTV.json").read_text(encoding="utf-8"))
    assert state["channel"] == "HGTV" and state["last_picture"] and isinstance(state["continuity_errors"], int)
    assert state["output_rate"] == int(Coding.of(CHANNEL, 192_000).mux["muxrate"]) and state["encoder_lag"] >= 0

    # the stream, as the headend's multiplexer takes it
    ts = check(recording.read_bytes())
    muxrate = int(Coding.of(CHANNEL, 192_000).mux["muxrate"])
    assert ts.packets > 0 and max(ts.pcr_gaps_ms) <= 40 and ts.nulls > 0 and ts.continuity_errors == 0
    assert all(abs(r - muxrate) <= muxrate * 0.002 for r in ts.rates), (min(ts.rates), max(ts.rates), muxrate)
    assert ts.service_ids == {101}
    sizes = recorder.sizes()  # datagrams of seven packets, as a receiver takes them whole (the last: what was left)
    assert set(sizes[:-1]) == {1316} and sizes[-1] % 188 == 0, collections.Counter(sizes)
    with av.open(str(recording)) as c:  # the station file's PIDs
        assert (c.streams.video[0].id, c.streams.audio[0].id) == (NETWORK.video_pid, NETWORK.audio_pid)

    # the pictures: the input's, and inside the airing the band of ticker's clip over them, from the input's
    # picture at START to the last before END (a picture's moment: when a receiver locked to the sender's PCR
    # shows it)
    given, sent = _pictures(made["programme"]), _pictures(recording)

    def when(t: int) -> float:  # on the sender's timeline
        return t / 90000 + relay.offset - first_at

    def when_shown(seconds: float) -> float:
        return when(round(seconds * 90000))

    ticks = sorted(sent)
    gaps = [(round(when(a), 2), b - a) for a, b in itertools.pairwise(ticks) if b - a != 3600]
    assert not gaps, gaps  # one picture a picture period, the cut too: the timeline continuous

    first, last = line["stream"]
    on = sorted(t for t in sent if first * 90000 - 1 <= t <= last * 90000 + 1)
    shown = [when(t) for t in (on[0], on[-1])]
    assert abs(shown[0] - START) <= 0.04 and abs(shown[1] - (END - 0.04)) <= 0.04, shown
    assert abs(dt.datetime.fromisoformat(line["start"]).timestamp() - at.timestamp()) <= 0.04, line["start"]
    band = slice(*_band_rows(clip))
    spans = [(r["stream"][0] * 90000 - 1, r["stream"][1] * 90000 + 1) for r in (line, cut, revoked, ended)]
    crawled = {t for t in sent if any(a <= t <= b for a, b in spans)}
    settled = ticks[12]  # the encoder's first group of pictures, its rate control finding its feet, aside
    before = [t for t in sent if t in given and t not in crawled and settled <= t and when(t) < LOST[0] - 0.5]
    # (each the input's picture of its time, or a picture either way: the synchroniser sends one again when its
    # reserve runs dry, drops one when it stays high, and a busy machine makes either happen now and then)
    outside = [
        max(_psnr(sent[t], given[t + k]) for k in (-7200, -3600, 0, 3600, 7200) if t + k in given) for t in before
    ]
    inside_band = [_psnr(sent[t][band], given[t][band]) for t in on]

    def rest(picture: np.ndarray) -> np.ndarray:  # all but the band's lines
        return np.delete(picture, np.r_[band], axis=0)

    inside_rest = [_psnr(rest(sent[t]), rest(given[t])) for t in on]
    assert len(outside) > 2 * 25 and np.mean(outside) > 32 and min(outside) > 28, (np.mean(outside), min(outside))
    assert max(inside_band) < 20, max(inside_band)  # the band is there
    assert np.mean(inside_rest) > 32, np.mean(inside_rest)  # and nothing else changed
    assert len(on) == round((END - START) * 25)

    # the input cut: its last picture held two seconds, then black, then the input's again (its next whole
    # group of pictures on: the input's own decoder conceals what the loss cut into), re-stamped onto the output's
    # timeline (by as many pictures as the reserve held when the input came back), each picture after it in turn
    # (the last picture that came is shown some 0.6 s into the cut, later as the reserve holds more)
    window = [t for t in ticks if LOST[0] <= when(t) <= LOST[1] + 1.5]
    dark = [t for t in window if sent[t].mean() < 2]
    assert dark and dark == list(range(dark[0], dark[-1] + 1, 3600)), "black, once, without a break"
    held = [t for t in window if t < dark[0] and _psnr(sent[t], sent[dark[0] - 3600]) > 35]
    assert held == list(range(held[0], dark[0], 3600)) and 2.0 <= len(held) * 0.04 <= 2.2, "held 2 s, then black"
    assert when(dark[-1]) >= LOST[1] - 0.04 and when(held[0]) > LOST[0], "black until the input came back"
    after = [t for t in ticks if LOST[1] + 1.5 <= when(t) <= TERM - 1.0]  # (the band aside: the airings)

    def match(t: int, k: int) -> float:
        return _psnr(rest(sent[t]), rest(given[t + k])) if t + k in given else 0.0

    # the first picture's re-stamp found among a reserve's worth either way; then each picture the input's at that
    # re-stamp or a picture either way (the synchroniser drops one when the reserve stays high, sends one again when
    # it runs dry): never further out of turn
    moved = [max(range(-12 * 3600, 13 * 3600, 3600), key=lambda k: match(after[0], k))]
    for t in after[1:]:
        moved.append(max((moved[-1], moved[-1] + 3600, moved[-1] - 3600), key=lambda k: match(t, k)))
    back = [match(t, k) for t, k in zip(after, moved, strict=True)]
    assert len(back) > 25 and np.mean(back) > 32 and min(back) > 28, (moved[0], np.mean(back), min(back))
    assert len(set(moved)) <= 6, sorted(set(moved))  # a picture dropped or repeated now and then, not each one

    # the sound: the input's packets, byte for byte, and silence, coded as the input's is, while it was cut
    heard, kept = [p for p, _ in _sound(str(made["programme"]))], _sound(str(recording))
    theirs = [p for p, _ in kept if p in set(heard)]
    filled = collections.Counter(p for p, _ in kept if p not in set(heard))
    silence = filled.most_common(1)[0][0]
    cut_into = [when_shown(t) for p, t in kept if p not in set(heard) and p != silence]
    assert all(LOST[0] - 0.5 <= t <= LOST[0] + 1.0 or LOST[1] - 0.5 <= t <= LOST[1] + 1.0 for t in cut_into), cut_into
    # (from the first picture on; the cut aside, and the input's sound that the silence sent had covered)
    # (and the packets the cut itself cut into, passed on as they came)
    assert len(theirs) > (TERM - 2.4 - 4.5) * 40 and _within(theirs, heard) and filled[silence] > 2 * 40
    on_sender = first_at - relay.offset
    assert _peak(recording, LOST[0] + 0.8 + on_sender, LOST[1] + on_sender) == 0.0
    assert _peak(recording, LOST[1] + 1.5 + on_sender, TERM - 1 + on_sender) > 0.2  # the tone back

    # the cues: on the input's PID, each as it came but for its pts_adjustment, which moves its splice time onto the
    # output's picture that is the input's picture it named (or one either way: ticker's synchroniser may drop or
    # repeat one between the cue and its splice)
    pid, sections = _cues_out(recording)
    assert pid == CUE_PID and len(sections) == len(CUES), (hex(pid), sections)
    for event, (section, (_, at)) in enumerate(zip(sections, CUES, strict=True), 1):
        sent_as = splice_insert(event, made["first_pts"] + round(at * 90000))
        pts, adjustment = splice_time(section)
        assert crc32(section) == 0 and section[:4] + section[9:-4] == sent_as[:4] + sent_as[9:-4]
        out_pts = (pts + adjustment) % (1 << 33)
        near = [_psnr(rest(sent[t]), rest(given[pts])) for t in (out_pts - 3600, out_pts, out_pts + 3600) if t in sent]
        assert near and max(near) > 32, (event, adjustment, near)
    assert splice_time(sections[1])[1] > 2 * 90000  # (after the cut: moved by the time the output went on alone)

    # switched off mid-airing, and an airing's approval revoked in it: off within a second; said once, in the
    # audit trail
    assert off_at + 1.0 < AGAIN + SHORT and revoked_at + 1.0 < THIRD + SHORT, "not mid-airing"
    assert when_shown(cut["stream"][1]) <= off_at + 1.0, (cut, off_at)
    assert when_shown(cut["stream"][0]) == pytest.approx(AGAIN, abs=0.04), cut
    assert when_shown(revoked["stream"][1]) <= revoked_at + 1.0, (revoked, revoked_at)
    assert when_shown(revoked["stream"][0]) == pytest.approx(THIRD, abs=0.04), revoked
    assert err.count("the crawl is switched off now by Lan") == 1 and err.count("switched on again") == 1
    trail = (campaigns / ".ticker-audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "air off"' in trail and '"action": "revoked"' in trail

    # SIGTERM mid-airing: the airing under way closed, recorded to its last picture out
    assert when_shown(ended["stream"][0]) == pytest.approx(FOURTH, abs=0.04), ended
    # (its last picture: the last taken out of the reserve, which a receiver shows up to a decoder's delay later)
    assert term_at - 1.0 <= when_shown(ended["stream"][1]) <= term_at + 1.0, (ended["stream"], term_at)

    # the airing with no clip: skipped, said once as an alarm, nothing recorded of it
    skipped = [t for t in err.splitlines() if "two at" in t]
    assert len(skipped) == 1 and "alarm: two at" in skipped[0] and "the night published no clip" in skipped[0], err

    # ticker watch, on what went out, finds campaign one's airing where air says it inserted it
    first_shown = dt.datetime.fromtimestamp(first_at + when(ticks[0]), zone).isoformat()
    run_ticker("watch", campaigns, recording, "--channel", "HGTV", "--start", first_shown, "--records",
               tmp_path / "watched", cwd=tmp_path)  # fmt: skip
    seen = [json.loads(t) for f in (tmp_path / "watched").glob("*/watch@HGTV*.jsonl")
            for t in f.read_text(encoding="utf-8").splitlines() if t]  # fmt: skip
    inserted = [dt.datetime.fromisoformat(line[k]).timestamp() for k in ("start", "end")]
    found = [[dt.datetime.fromisoformat(r[k]).timestamp() for k in ("start", "end")] for r in seen
             if r["kind"] == "airing" and r["campaign"] == "one"]  # fmt: skip
    assert found and all(inserted[0] - 0.5 <= a and b <= inserted[1] + 0.5 for a, b in found), (found, inserted)


def test_air_check_refuses_a_must_carry_channel_in_one_sentence(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
    given = ("--channel", "VTV1", "--in", "udp://127.0.0.1:9", "--out", "udp://127.0.0.1:10", "-o", tmp_path / "out")
    done = run_ticker("air", campaigns, *given, "--check", cwd=tmp_path, check_status=2)
    said = [line for line in done.stderr.splitlines() if "VTV1" in line]
    assert len(said) == 1 and "must carry (kênh thiết yếu)" in said[0] and "Traceback" not in done.stderr
    again = run_ticker("air", campaigns, *given, cwd=tmp_path, check_status=2)
    assert again.stderr.count("must carry") == 1 and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_air_check_refuses_an_input_scrambled_or_with_its_fields_in_another_order(made, tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
    bottom_first = tmp_path / "bff.ts"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=720x576:rate=50,interlace=scan=bff:lowpass=0", "-t", "1", "-c:v", "mpeg2video",
                    "-flags", "+ildct+ilme", "-f", "mpegts", str(bottom_first)], check=True)  # fmt: skip
    data = bytearray(made["programme"].read_bytes())
    for i in range(0, len(data) - 187, 188):  # the video's packets marked scrambled, as a scrambler marks them
        if ((data[i + 1] & 0x1F) << 8 | data[i + 2]) == 0x100:
            data[i + 3] |= 0x80
    scrambled = tmp_path / "scrambled.ts"
    scrambled.write_bytes(bytes(data[: 188 * 4000]))

    def said(source) -> str:
        given = ("--channel", "HGTV", "--in", str(source), "--out", "udp://127.0.0.1:10", "-o", tmp_path / "out")
        done = run_ticker("air", campaigns, *given, "--check", cwd=tmp_path, check_status=None)
        assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()
        return done.stderr

    assert "field" not in said(made["programme"]) and "scrambled" not in said(made["programme"])
    assert "its pictures are bottom field first, the channel's clips top field first" in said(bottom_first)
    assert "its programme is scrambled" in said(scrambled)
