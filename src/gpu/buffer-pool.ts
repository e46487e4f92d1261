/**
 * Persistent buffers reused across calls: each named slot holds one GPUBuffer that is
 * grown geometrically (×2, at least the size asked) and never shrunk, so a steady
 * stream of calls allocates nothing.
 */

/** A pool of growable buffers for one device. */
export class BufferPool {
  private readonly slots = new Map<string, GPUBuffer>();
  /** Buffers created over the pool's life (tests check steady-state reuse with it). */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    /** The largest buffer the device allows. */
    private readonly maxBufferSize: number,
  ) {}

  /** A buffer of at least `size` bytes with `usage` for slot `name`; contents are undefined. */
  get(name: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const need = Math.max(16, Math.ceil(size / 16) * 16);
    const cur = this.slots.get(name);
    if (cur && cur.size >= need && cur.usage === usage) return cur;
    const grown = Math.min(this.maxBufferSize, Math.max(need, cur ? cur.size * 2 : 0));
    cur?.destroy();
    const buffer = this.device.createBuffer({ label: `lr-schedules ${name}`, size: Math.max(need, Math.floor(grown / 4) * 4), usage });
    this.created++;
    this.slots.set(name, buffer);
    return buffer;
  }

  /** Destroys every buffer of the pool. */
  destroy(): void {
    for (const b of this.slots.values()) b.destroy();
    this.slots.clear();
  }
}
