"""Finding a campaign's crawl in pictures (ticker.watch.reference): each picture's column profile of the band's
lines is compared with every place along one period of the crawl's track by normalised correlation (one FFT),
and the best place is where the crawl is, when it is like enough. Successive pictures make an airing when each
place follows the last at the crawl's speed; an airing ends at the first picture that does not follow.

What counts as "like enough" (LIKE) was set on ticker's own clips through H.264 at 2 Mb/s: the crawl scores above
0.95 there, a band of the same look with other words below 0.6."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ticker.watch.geometry import SHIFT, Geometry, geometries
from ticker.watch.reference import Reference

OWN = Geometry("own")

LIKE = 0.85  # normalised correlation at or above which a picture shows the crawl
FOLLOW = 6.0  # stored pixels a picture's place may stray from where the last one's and the speed put it
GAP = 0.5  # seconds without the crawl that end an airing
SEARCH = 0.2  # seconds between two searches for the crawl in every geometry, until it is found
LOOK = 0.2  # seconds between two pictures looked at while an airing is followed (those between: see Tracker)
UNLIKE = 2.0  # seconds a band of the campaign's look shows other words before it is said unrecognised
BAND_LUMA = 24.0  # how near the band's lines' median luma comes to the band's own to be a band of its look
BAND_CHROMA = 16.0  # and their median Cb and Cr to the band's
READ = 2 / 3  # how far across the window from its left a message's start has come when its first words are read


@dataclass(frozen=True)
class Picture:
    """A decoded picture as the matcher reads it: its Y plane, and its Cb and Cr planes with how many of the
    picture's samples and lines each of theirs covers (2 and 2 for 4:2:0); None when the decoder gave none."""

    luma: np.ndarray
    chroma: tuple[np.ndarray, np.ndarray] | None = None
    subsampling: tuple[int, int] = (2, 2)


@dataclass(frozen=True)
class Seen:
    """Where in the track's period a picture shows the crawl, and how sure that is (-1 to 1)."""

    place: int
    score: float


class Matcher:
    """One reference's track, ready to be compared with pictures of a channel of `size` showing the output in
    `geometry` (ticker.watch.geometry): the crawl's columns that the channel's picture shows, resampled to the
    track's own pixels."""

    def __init__(self, ref: Reference, geometry: Geometry = OWN, size: tuple[int, int] | None = None):
        self.ref, self.geometry = ref, geometry
        width, height = size or (ref.width, ref.height)
        g, (left, right), (top, bottom) = geometry, ref.crawl, ref.band
        columns = g.sx * np.arange(left, right, dtype=np.float64) + g.ox
        seen = np.flatnonzero((columns >= 0) & (columns <= width - 1))
        if len(seen) < 16:
            raise ValueError("the crawl's window is not in the picture")
        self.first = int(seen[0])  # the first of the window's columns the picture shows (0 unless cut)
        self.at = columns[seen[0] : seen[-1] + 1]  # where they are in the channel's picture
        self.span = (int(np.floor(self.at[0])), min(width, int(np.ceil(self.at[-1])) + 1))
        self.lines = (max(0, round(g.sy * top + g.oy)), min(height, round(g.sy * bottom + g.oy)))
        if self.lines[1] - self.lines[0] < 2:
            raise ValueError("the band's lines are not in the picture")
        period, window = ref.period, len(self.at)
        track = np.roll(ref.track, -self.first)  # place p of the window's first column seen is p + first
        tiled = np.tile(track, math.ceil((period + window) / period) + 1)[: period + window - 1].astype(np.float64)
        self.windows = np.lib.stride_tricks.sliding_window_view(tiled, window)  # the track at each place
        self.size = 1 << (len(tiled) + window).bit_length()
        self.spectrum = np.fft.rfft(tiled, self.size)
        sums = np.concatenate(([0.0], np.cumsum(tiled)))
        squares = np.concatenate(([0.0], np.cumsum(tiled * tiled)))
        mean = (sums[window : window + period] - sums[:period]) / window
        spread = (squares[window : window + period] - squares[:period]) - window * mean * mean
        self.spread = np.sqrt(np.maximum(spread, 1e-9))
        gap = ref.track[ref.text :] if ref.text < period else ref.track
        self.band = float(np.median(gap))

    def profile(self, luma: np.ndarray, field: int | None = None) -> np.ndarray:
        """The picture's column profile over the crawl's window, in the track's pixels (luma: the picture's Y
        plane, lines × samples), of one field's lines (0 the top field's, 1 the bottom's) or all of them."""
        (top, bottom), (a, b) = self.lines, self.span
        lines = luma[top:bottom, a:b]
        if field is not None:
            lines = lines[(top + field) % 2 :: 2]
        if lines.dtype == np.uint8:  # summed in integers: twice as fast as a mean in floats, and as exact
            columns = lines.sum(axis=0, dtype=np.uint32) / len(lines)
        else:
            columns = lines.mean(axis=0, dtype=np.float64)
        if self.geometry.name == "own":
            return columns
        return np.interp(self.at, np.arange(a, b, dtype=np.float64), columns)

    def match(self, luma: np.ndarray, field: int | None = None) -> Seen | None:
        """Where the picture (or one field of it) shows the crawl, at its best place (None: a flat band, nothing
        to compare)."""
        w = self.profile(luma, field)
        w = w - w.mean()
        norm = math.sqrt(float(w @ w))
        if norm < 1e-6:
            return None
        cross = np.fft.irfft(self.spectrum * np.conj(np.fft.rfft(w, self.size)), self.size)[: self.ref.period]
        score = cross / (self.spread * norm)
        place = int(np.argmax(score))
        return Seen(place, float(score[place]))

    def match_near(self, luma: np.ndarray, field: int | None, place: float, reach: int = round(FOLLOW)) -> Seen | None:
        """The best place within `reach` of where the crawl should be (the airing being followed says where):
        a few dot products instead of the whole period's correlation."""
        w = self.profile(luma, field)
        w = w - w.mean()
        norm = math.sqrt(float(w @ w))
        if norm < 1e-6:
            return None
        period = self.ref.period
        places = (np.arange(-reach, reach + 1) + round(place)) % period
        score = (self.windows[places] @ w) / (self.spread[places] * norm)
        best = int(np.argmax(score))
        return Seen(int(places[best]), float(score[best]))

    def band_shown(self, picture: Picture) -> bool:
        """Whether the band's lines look like the campaign's band: its luma (in full or limited range) and, when
        the picture has them, its colour's Cb and Cr (each the median of every other sample of every other line:
        a quarter of the work, the same band)."""
        (top, bottom), (a, b) = self.lines, self.span
        median = float(np.median(picture.luma[top:bottom:2, a:b:2]))
        if min(abs(median - self.band), abs(median - (16 + self.band * 219 / 255))) >= BAND_LUMA:
            return False
        if picture.chroma is None:
            return True
        sx, sy = picture.subsampling
        return all(
            abs(float(np.median(plane[top // sy : -(-bottom // sy) : 2, a // sx : -(-b // sx) : 2])) - want)
            < BAND_CHROMA
            for plane, want in zip(picture.chroma, self.ref.chroma, strict=True)
        )


def matchers(ref: Reference, size: tuple[int, int]) -> list[list[Matcher]]:
    """For each geometry a channel of `size` may show the reference in, a matcher for each shift (the unshifted
    first)."""
    found = []
    for g in geometries((ref.width, ref.height), ref.dar, size):
        group = []
        for lines in sorted(range(-SHIFT, SHIFT + 1, 2), key=abs):
            try:
                group.append(Matcher(ref, g.shifted(lines), size))
            except ValueError:  # that geometry leaves the band outside the picture
                continue
        if group:
            found.append(group)
    return found


@dataclass
class Run:
    """An airing being followed: its first and last pictures' times and places (the place unwrapped: stored
    pixels of track shown since the period's start)."""

    first: float
    last: float
    start: float  # the unwrapped place at the first picture
    place: float  # at the last
    pictures: int = 1
    scores: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Airing:
    """An airing found: from its first picture to the end of its last (stream seconds), the track shown, the
    passes of the text seen whole, whether the last was cut off, and how sure (the lowest picture's score)."""

    start: float
    end: float
    passes: int
    cut: bool
    confidence: float


@dataclass(frozen=True)
class Band:
    """A band of the campaign's look showing other words (never counted): from, to (stream seconds)."""

    start: float
    end: float


class Tracker:
    """Pictures in, airings out (module docstring). Feed each decoded picture's time and Y plane in order; `end`
    closes what is open.

    Until the crawl is found, every geometry and shift the channel's picture may show it in is tried on a
    picture every SEARCH seconds; once one matches, the tracker holds to it (one matcher a field) and the last
    pictures kept are looked at again with it, so that the airing starts at its first picture, not at the
    search's. While it follows the airing it looks at a picture every LOOK seconds, field by field where the
    crawl's speed puts it: when one is not like, the pictures since the last looked at are looked at one by one,
    so that the airing ends at its last picture (and at the end of the stream, those after the last looked at).
    It lets go when the airing ends."""

    def __init__(self, ref: Reference, size: tuple[int, int] | None = None):
        self.ref = ref
        self.candidates = matchers(ref, size or (ref.width, ref.height))
        if not self.candidates:
            raise ValueError(f"no geometry shows {ref.profile}'s band in a picture of {size}")
        self.locked: Matcher | None = None
        self.frame = float(1 / ref.rate)
        self.picture_time = self.frame / 2 if ref.interlaced else self.frame  # a field's, when interlaced
        self.recent: deque[tuple[float, Picture]] = deque(maxlen=math.ceil(max(SEARCH, LOOK) / self.frame) + 2)
        self.searched = -math.inf
        self.looked = -math.inf  # the last picture looked at while an airing is followed
        self.run: Run | None = None
        self.airings: list[Airing] = []
        self.bands: list[Band] = []
        self._unlike: tuple[float, float] | None = None  # a band of the look with other words: since, until

    @property
    def geometry(self) -> Geometry | None:
        return self.locked.geometry if self.locked else None

    def picture(self, t: float, picture: Picture | np.ndarray) -> None:
        """A decoded picture shown at `t` (stream seconds), or its Y plane: field by field when interlaced (the
        crawl moves every field, so a frame's two fields show it at two places)."""
        if not isinstance(picture, Picture):
            picture = Picture(picture)
        luma = picture.luma
        self.recent.append((t, picture))
        if self.locked is None:
            if t - self.searched < SEARCH:
                return
            self.searched = t
            field = 0 if self.ref.interlaced else None
            shown = [group for group in self.candidates if group[0].band_shown(picture)]  # a band of the look there
            scored = [(seen.score, id(m), m) for group in shown for m in group if (seen := m.match(luma, field))]
            best = max(scored, default=None, key=lambda s: s[0])
            if best is None or best[0] < LIKE:
                self._unlike_seen(t, bool(shown))
                return
            self.locked = best[2]
            for tt, pp in list(self.recent):  # the pictures since the last search, again with the geometry found
                self._fields(tt, pp)  # (should the airing end among them, the search starts again after)
            self.looked = t
            return
        if self.run is not None and t - self.looked < LOOK:
            return  # looked at later, should the airing end before the next picture looked at
        if self.run is None or not self._follows(t, picture):
            self._since_looked(t)
            self._fields(t, picture)
        self.looked = t

    def _follows(self, t: float, picture: Picture) -> bool:
        """Whether each field of the picture shows the crawl where the airing followed puts it (then followed)."""
        run, matcher = self.run, self.locked
        assert run is not None and matcher is not None
        times = ((0, t), (1, t + self.frame / 2)) if self.ref.interlaced else ((None, t),)
        seen = []
        for which, at in times:
            found = matcher.match_near(
                picture.luma, which, (run.place + self.ref.speed * (at - run.last)) % self.ref.period
            )
            if found is None or found.score < LIKE:
                return False
            seen.append((at, found))
        self._unlike_ends()
        for at, found in seen:
            self._follow(at, found)
        return True

    def _since_looked(self, t: float) -> None:
        """The pictures after the last looked at and before `t`, looked at one by one."""
        for tt, pp in [(tt, pp) for tt, pp in self.recent if self.looked < tt < t]:
            self._fields(tt, pp)

    def _fields(self, t: float, picture: Picture) -> None:
        """Each field (or the frame) with the geometry held; once the airing ends, the search starts again."""
        for which, at in ((0, t), (1, t + self.frame / 2)) if self.ref.interlaced else ((None, t),):
            if self.locked is None:
                return
            self._field(at, picture, which)

    def end(self) -> None:
        if self.run is not None:
            self._since_looked(math.inf)
        self._close()
        self._unlike_ends()

    def reading(self, t: float) -> list[int]:
        """The messages (their index in Reference.messages) whose first words the airing followed shows on the
        picture at `t`: each one's start on screen, and a third of the window or more in from its right edge."""
        run, matcher, period = self.run, self.locked, self.ref.period
        if run is None or matcher is None:
            return []
        left = run.place + self.ref.speed * (t - run.last) + matcher.first  # the window's first column shown
        right = left + READ * len(matcher.at)
        return [i for i, start in enumerate(self.ref.messages) if (right - start) // period * period + start >= left]

    def _field(self, t: float, picture: Picture, field: int | None) -> None:
        matcher, run, luma = self.locked, self.run, picture.luma
        assert matcher is not None
        seen = None
        if run is not None:  # where the airing followed puts the crawl now: looked at there first
            seen = matcher.match_near(luma, field, (run.place + self.ref.speed * (t - run.last)) % self.ref.period)
        if seen is None or seen.score < LIKE:
            seen = matcher.match(luma, field)
        if seen is not None and seen.score >= LIKE:
            self._unlike_ends()
            self._follow(t, seen)
            return
        if self.run is not None and t - self.run.last > GAP:
            self._close()
        self._unlike_seen(t, matcher.band_shown(picture))

    def _unlike_seen(self, t: float, band: bool) -> None:
        if band:
            since = self._unlike[0] if self._unlike else t
            self._unlike = (since, t + self.picture_time)
        else:
            self._unlike_ends()

    def _follow(self, t: float, seen: Seen) -> None:
        period = self.ref.period
        run = self.run
        if run is not None:
            expected = run.place + self.ref.speed * (t - run.last)
            step = (seen.place - expected + period / 2) % period - period / 2
            if abs(step) <= FOLLOW and t - run.last <= GAP:
                run.place, run.last = expected + step, t
                run.pictures += 1
                run.scores.append(seen.score)
                return
            self._close(keep=True)
        self.run = Run(t, t, float(seen.place), float(seen.place), scores=[seen.score])

    def _close(self, keep: bool = False) -> None:
        """The airing followed ends (`keep`: another starts at once, in the same geometry)."""
        run, matcher, self.run = self.run, self.locked, None
        if not keep:
            self.locked = None
            self.searched = -math.inf
        if run is None or run.pictures < 2:
            return
        assert matcher is not None  # an airing is followed in the geometry found
        period, text = self.ref.period, self.ref.text
        # the track that was on screen at some time, in the window's columns the channel's picture shows (the 4:3
        # centre cut leaves the band's ends out: a word that crossed only them was never seen)
        shown = (run.start + matcher.first, run.place + matcher.first + len(matcher.at))
        first = math.ceil(shown[0] / period)
        whole = [k for k in range(first, math.floor(shown[1] / period) + 1) if k * period + text <= shown[1]]
        last_start = math.floor(shown[1] / period) * period
        cut = last_start >= shown[0] and last_start + text > shown[1] and last_start < shown[1]
        self.airings.append(Airing(run.first, run.last + self.picture_time, len(whole), cut, min(run.scores)))

    def _unlike_ends(self) -> None:
        if self._unlike is not None and self._unlike[1] - self._unlike[0] >= UNLIKE:
            self.bands.append(Band(*self._unlike))
        self._unlike = None
