"""The microphone worklet (kiosk/static/listen-worklet.js) turns what the browser gives it into
16 kHz 16-bit PCM in 0.1 s chunks, whatever rate the audio context runs at.

Chromium usually grants the 16 kHz context listen.js asks for (the browser test covers that
path); this runs the worklet in node with a 48 kHz and a 44.1 kHz context to check the
resampler: the right number of samples, and a 440 Hz tone still 440 Hz.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WORKLET = Path(__file__).resolve().parents[2] / "kiosk" / "static" / "listen-worklet.js"
HARNESS = """
const vm = require("vm");
const fs = require("fs");
const [file, rate] = [process.argv[1], Number(process.argv[2])];
const out = [];
let Processor = null;
class AudioWorkletProcessor { constructor() { this.port = { postMessage: (m) => out.push(m) }; } }
const context = vm.createContext({
  sampleRate: rate, AudioWorkletProcessor, Int16Array, Math,
  registerProcessor: (name, cls) => { Processor = cls; },
});
vm.runInContext(fs.readFileSync(file, "utf8"), context);
const node = new Processor();
const seconds = 1;
for (let start = 0; start < rate * seconds; start += 128) {
  const block = new Float32Array(128);
  for (let i = 0; i < 128; i += 1) {
    block[i] = 0.5 * Math.sin(2 * Math.PI * 440 * (start + i) / rate);
  }
  node.process([[block]]);
}
const samples = [];
for (const m of out) { samples.push(...new Int16Array(m.pcm)); }
console.log(JSON.stringify({ chunks: out.length, levels: out.map((m) => m.level), samples }));
"""


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
def test_the_worklet_sends_16_khz_pcm_in_tenth_of_a_second_chunks(rate: int) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run([node, "-e", HARNESS, str(WORKLET), str(rate)],
                            capture_output=True, text=True, check=True)
    sent = json.loads(result.stdout)
    samples = sent["samples"]
    assert sent["chunks"] in (9, 10)  # one second: ten chunks, the last may still be filling
    assert len(samples) == sent["chunks"] * 1600
    crossings = sum(1 for a, b in zip(samples, samples[1:], strict=False) if a < 0 <= b)
    assert abs(crossings - 440 * len(samples) / 16000) <= 3  # still a 440 Hz tone
    assert 15000 < max(samples) <= 0.5 * 32767 + 1  # amplitude kept, as 16-bit integers
    assert all(0.3 < level < 0.4 for level in sent["levels"])  # RMS of a 0.5 sine: 0.354
