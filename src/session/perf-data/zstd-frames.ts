/**
 * What a zstd stream declares, checked before the decompressor sees it. fzstd allocates the
 * window a frame header asks for (up to 2 GB) and takes block sizes as written; a crafted
 * PERF_RECORD_COMPRESSED could make it allocate gigabytes from a few bytes. This walks the
 * stream's frame and block headers as the data arrives (RFC 8878 §3.1) and refuses:
 *
 *   - a window larger than libzstd decodes by default (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27, so
 *     perf's own decoder refuses it too: "Frame requires too much memory for decoding");
 *   - a block larger than Block_Maximum_Size (128 KB), or of the reserved block type;
 *   - anything that is not a zstd or skippable frame where a frame must start.
 *
 *   frame:  magic 0xFD2FB528 | Frame_Header_Descriptor | [Window_Descriptor] | [Dictionary_ID]
 *           | [Frame_Content_Size] | blocks... | [Content_Checksum (4)]
 *   block:  3 bytes little-endian: Last_Block (bit 0), Block_Type (bits 1-2), Block_Size (3-23)
 *           then Block_Size bytes (1 byte for an RLE block)
 *   skippable frame: magic 0x184D2A5? | u32 size | size bytes
 */
export const MAX_ZSTD_WINDOW_BYTES = 1 << 27;
const MAX_BLOCK_BYTES = 128 << 10;
const ZSTD_MAGIC = 0xfd2fb528;

export class ZstdHeaderError extends Error {
  override readonly name = 'ZstdHeaderError';
}

export class ZstdFrameHeaders {
  private state: 'frame' | 'block' = 'frame';
  /** Header bytes gathered so far (a header may be split across COMPRESSED records). */
  private head: number[] = [];
  /** Bytes to pass over before the next header: block content, skippable frame, checksum. */
  private skip = 0;
  private checksum = false;

  /** Checks the headers in the next piece of the stream; throws ZstdHeaderError. */
  check(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const want = this.headerLength();
      while (this.head.length < want && i < data.length) this.head.push(data[i++]!);
      if (this.head.length < want) return;
      // The header's length depends on its first bytes: see whether it grew with them.
      if (this.headerLength() > want) continue;
      if (this.state === 'block') this.blockHeader();
      else this.frameHeader();
      this.head = [];
    }
  }

  private headerLength(): number {
    const h = this.head;
    if (this.state === 'block') return 3;
    if (h.length < 4) return 4;
    const magic = u32(h, 0);
    if (magic === ZSTD_MAGIC) {
      if (h.length < 5) return 5;
      const fhd = h[4]!;
      const singleSegment = (fhd >> 5) & 1;
      const dictionaryBytes = [0, 1, 2, 4][fhd & 3]!;
      const contentSizeBytes = [singleSegment, 2, 4, 8][fhd >> 6]!;
      return 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes;
    }
    if (magic >>> 4 === 0x184d2a5) return 8;
    throw new ZstdHeaderError(`no zstd frame starts here (magic 0x${magic.toString(16)})`);
  }

  private frameHeader(): void {
    const h = this.head;
    if (u32(h, 0) !== ZSTD_MAGIC) {
      this.skip = u32(h, 4); // a skippable frame
      return;
    }
    const fhd = h[4]!;
    if (fhd & 8) throw new ZstdHeaderError('zstd frame header with its reserved bit set');
    const singleSegment = (fhd >> 5) & 1;
    let window: number;
    if (singleSegment) {
      // The window is the content size, the header's last 1, 2, 4 or 8 bytes.
      const size = [1, 2, 4, 8][fhd >> 6]!;
      let value = 0;
      for (let k = size - 1; k >= 0; k--) value = value * 256 + h[h.length - size + k]!;
      window = size === 2 ? value + 256 : value;
    } else {
      const descriptor = h[5]!;
      const base = 2 ** (10 + (descriptor >> 3));
      window = base + (base / 8) * (descriptor & 7);
    }
    if (window > MAX_ZSTD_WINDOW_BYTES) {
      throw new ZstdHeaderError(
        `a zstd frame declares a ${window}-byte window; at most ${MAX_ZSTD_WINDOW_BYTES} are decoded (as by libzstd)`,
      );
    }
    this.checksum = ((fhd >> 2) & 1) === 1;
    this.state = 'block';
  }

  private blockHeader(): void {
    const h = this.head;
    const bits = h[0]! | (h[1]! << 8) | (h[2]! << 16);
    const last = bits & 1;
    const type = (bits >> 1) & 3;
    const size = bits >>> 3;
    if (type === 3) throw new ZstdHeaderError('zstd block of the reserved type 3');
    if (size > MAX_BLOCK_BYTES) {
      throw new ZstdHeaderError(`a zstd block declares ${size} bytes; at most ${MAX_BLOCK_BYTES}`);
    }
    this.skip = (type === 1 ? 1 : size) + (last && this.checksum ? 4 : 0);
    if (last) this.state = 'frame';
  }
}

function u32(bytes: number[], at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}
