/* Microphone capture for speech in (listen.js): 16 kHz mono 16-bit PCM in 0.1 s chunks.
   Loaded with audioWorklet.addModule from 'self' (a strict CSP refuses blob: and inline
   modules). The audio never leaves memory except to the kiosk's own server. */
"use strict";

var TARGET_RATE = 16000;
var CHUNK = 1600; /* 0.1 s */

class KioskCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    /* The context is asked for 16 kHz; if the browser runs it faster, resample linearly. */
    this.step = sampleRate / TARGET_RATE;
    this.position = 0;
    this.previous = 0;
    this.buffer = new Int16Array(CHUNK);
    this.filled = 0;
    this.energy = 0;
  }

  push(value) {
    var clipped = Math.max(-1, Math.min(1, value));
    this.buffer[this.filled] = clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff;
    this.energy += clipped * clipped;
    this.filled += 1;
    if (this.filled === CHUNK) {
      var level = Math.sqrt(this.energy / CHUNK);
      this.port.postMessage({ pcm: this.buffer.buffer, level: level }, [this.buffer.buffer]);
      this.buffer = new Int16Array(CHUNK);
      this.filled = 0;
      this.energy = 0;
    }
  }

  process(inputs) {
    var channel = inputs[0] && inputs[0][0];
    if (!channel) { return true; }
    if (this.step === 1) {
      for (var i = 0; i < channel.length; i += 1) { this.push(channel[i]); }
      return true;
    }
    /* position: where the next output sample falls, in input samples from this block's start
       (negative: between the previous block's last sample and this block's first). */
    while (this.position < channel.length - 1) {
      var at = Math.floor(this.position);
      var frac = this.position - at;
      var left = at < 0 ? this.previous : channel[at];
      var right = channel[at + 1];
      this.push(left + (right - left) * frac);
      this.position += this.step;
    }
    this.position -= channel.length;
    this.previous = channel[channel.length - 1];
    return true;
  }
}

registerProcessor("kiosk-capture", KioskCapture);
