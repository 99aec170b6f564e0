// A soft two-tone ring while a call rings us, drawn with Web Audio (no sound file to fetch). The
// browser may keep audio silent until the page has had a click; then the ring is only seen.

const ON_MS = 1200;
const PERIOD_MS = 3000;

export class Ringtone {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  set(ringing: boolean): void {
    if (ringing === (this.timer !== undefined)) return;
    if (!ringing) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.ring();
    this.timer = setInterval(() => this.ring(), PERIOD_MS);
  }

  private ring(): void {
    try {
      this.context ??= new AudioContext();
      if (this.context.state === "suspended") void this.context.resume().catch(() => undefined);
      const context = this.context;
      const gain = context.createGain();
      gain.gain.value = 0.05;
      gain.connect(context.destination);
      const start = context.currentTime;
      for (const [index, frequency] of [440, 480].entries()) {
        const tone = context.createOscillator();
        tone.frequency.value = frequency;
        tone.connect(gain);
        tone.start(start + index * 0.02);
        tone.stop(start + ON_MS / 1000);
      }
    } catch {
      // no audio here: the ring is only seen
    }
  }
}
