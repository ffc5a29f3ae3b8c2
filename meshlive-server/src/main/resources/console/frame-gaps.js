// Pauses between presented video frames, as a viewer sees them: the time between successive
// requestVideoFrameCallback calls of a <video>. The test and demo pages (whep.html, hls.html) put
// frameGaps(video).state() into their #state JSON: maxFrameGapMs since the first frame, and the
// last few gaps longer than 100 ms, each with the wall-clock time it ended (epoch ms), so a test can
// tell the pause a failover caused from one at start-up.
"use strict";
window.frameGaps = function (video) {
  const NOTABLE_MS = 100;
  const KEEP = 100;
  let last = null;
  let max = 0;
  const longGaps = [];
  function onFrame() {
    const now = performance.now();
    if (last !== null) {
      const gap = now - last;
      max = Math.max(max, gap);
      if (gap > NOTABLE_MS) {
        longGaps.push({ endedAt: Date.now(), ms: Math.round(gap) });
        if (longGaps.length > KEEP) {
          longGaps.shift();
        }
      }
    }
    last = now;
    video.requestVideoFrameCallback(onFrame);
  }
  video.requestVideoFrameCallback(onFrame);
  return {
    state: function () {
      return { maxFrameGapMs: Math.round(max), longFrameGaps: longGaps.slice(),
               msSinceLastFrame: last === null ? null : Math.round(performance.now() - last) };
    }
  };
};
