// Standard output, batched into chunks of about 64 KiB, that waits for 'drain' when the pipe is
// full: however fast rows come in, memory stays flat while a slow reader catches up.
import { once } from "node:events";

const CHUNK = 1 << 16;

export class Output {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
}
