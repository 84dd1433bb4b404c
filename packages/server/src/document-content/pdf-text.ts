import { Worker } from 'node:worker_threads';
import { textExtractionFailed } from './document-content.errors.ts';
import type { PdfTextReply, PdfTextRequest } from './pdf-text.worker.ts';

export interface PdfTextLimits {
  maxChars: number;
  maxPages: number;
  /** Counted from the moment a thread takes the document, not while it waits for one. */
  timeoutMs: number;
  /** V8 heap of the reading thread; a PDF needing more is refused, not the server. */
  maxHeapMb: number;
}

export const PDF_TEXT_LIMITS: PdfTextLimits = { maxChars: 200_000, maxPages: 500, timeoutMs: 30_000, maxHeapMb: 512 };

export interface PdfTextWorkersOptions {
  /** Threads reading PDFs at once (each may use up to `maxHeapMb`); more documents wait their turn. */
  maxWorkers: number;
  /** A thread left without a document this long is ended, so that an idle server holds none. */
  idleMs: number;
}

export const PDF_TEXT_WORKERS: PdfTextWorkersOptions = { maxWorkers: 2, idleMs: 30_000 };

interface Task {
  request: PdfTextRequest;
  limits: PdfTextLimits;
  resolve: (text: string) => void;
  reject: (error: unknown) => void;
}

interface PooledWorker {
  thread: Worker;
  heapMb: number;
  task?: Task;
  timer?: NodeJS.Timeout;
  retired: boolean;
}

/**
 * A few worker threads reading PDFs' text layers (pdf-text.worker.ts), reused from one document
 * to the next: starting a thread and loading pdf.js costs more than reading a small PDF. A thread
 * that runs past the time or memory allowed is ended and replaced by a fresh one.
 */
export class PdfTextWorkers {
  readonly #options: PdfTextWorkersOptions;
  readonly #idle: PooledWorker[] = [];
  readonly #busy = new Set<PooledWorker>();
  readonly #waiting: Task[] = [];
  readonly #exiting = new Set<Promise<unknown>>();
  #started = 0;
  #closed = false;

  constructor(options: Partial<PdfTextWorkersOptions> = {}) {
    this.#options = { ...PDF_TEXT_WORKERS, ...options };
    if (!(this.#options.maxWorkers >= 1)) throw new RangeError('A PDF text pool needs at least one worker.');
  }

  /** Threads started since the pool was made (for tests and metrics). */
  get workersStarted(): number {
    return this.#started;
  }

  /** Threads alive now, busy or idle. */
  get liveWorkers(): number {
    return this.#idle.length + this.#busy.size;
  }

  /**
   * The text layer of a PDF (unpdf, pdf.js without a worker of its own and without network), read
   * by a thread that is ended when it runs past the time or memory allowed. An image-only PDF (a
   * scan) has no text layer and gives ''.
   */
  read(bytes: Uint8Array, limits: PdfTextLimits): Promise<string> {
    if (this.#closed) return Promise.reject(stopping());
    // The thread gets its own copy: pdf.js detaches the buffer it is given.
    const request: PdfTextRequest = { bytes: bytes.slice(), maxPages: limits.maxPages, maxChars: limits.maxChars };
    return new Promise((resolve, reject) => {
      this.#waiting.push({ request, limits, resolve, reject });
      this.#dispatch();
    });
  }

  /** Ends every thread; documents still waiting or being read are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const task of this.#waiting.splice(0)) task.reject(stopping());
    for (const worker of [...this.#idle, ...this.#busy]) this.#retire(worker, stopping());
    await Promise.all(this.#exiting);
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const task = this.#waiting[0]!;
      const heapMb = task.limits.maxHeapMb;
      let worker = this.#idle.find((candidate) => candidate.heapMb === heapMb);
      if (worker !== undefined) this.#idle.splice(this.#idle.indexOf(worker), 1);
      else if (this.liveWorkers < this.#options.maxWorkers) worker = this.#start(heapMb);
      else if (this.#idle.length > 0) {
        // Only threads with another heap limit are free: one makes room for the right kind.
        this.#retire(this.#idle[0]!);
        worker = this.#start(heapMb);
      } else return;
      this.#waiting.shift();
      this.#run(worker, task);
    }
  }

  #start(heapMb: number): PooledWorker {
    const thread = new Worker(new URL('./pdf-text.worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: true,
      stderr: true,
    });
    this.#started += 1;
    // Whatever pdf.js prints could quote the document: it is dropped, never logged.
    thread.stdout.resume();
    thread.stderr.resume();
    const worker: PooledWorker = { thread, heapMb, retired: false };
    thread.on('message', (reply: PdfTextReply) => {
      const task = worker.task;
      if (task === undefined || worker.retired) return;
      this.#release(worker);
      if ('error' in reply) task.reject(textExtractionFailed(`The PDF's text could not be read (${reply.error}).`));
      else task.resolve(normalizePdfText(reply.text).slice(0, task.limits.maxChars));
    });
    thread.on('error', (error) => {
      this.#retire(worker, textExtractionFailed("Reading the PDF's text failed (it may need more memory than allowed).", error));
    });
    thread.on('exit', (code) => {
      this.#retire(worker, textExtractionFailed(`Reading the PDF's text stopped early (exit code ${code}).`));
    });
    return worker;
  }

  #run(worker: PooledWorker, task: Task): void {
    clearTimeout(worker.timer);
    worker.task = task;
    this.#busy.add(worker);
    worker.thread.ref();
    const { timeoutMs } = task.limits;
    worker.timer = setTimeout(
      () => this.#retire(worker, textExtractionFailed(`Reading the PDF's text took longer than ${timeoutMs / 1000} s; it was stopped.`)),
      timeoutMs,
    );
    worker.thread.postMessage(task.request, [task.request.bytes.buffer as ArrayBuffer]);
  }

  /** The thread answered: it waits for the next document, and is ended if none comes soon. */
  #release(worker: PooledWorker): void {
    clearTimeout(worker.timer);
    worker.task = undefined;
    this.#busy.delete(worker);
    this.#idle.push(worker);
    // An idle thread must not keep the process alive, nor its idle timer.
    worker.thread.unref();
    worker.timer = setTimeout(() => this.#retire(worker), this.#options.idleMs);
    worker.timer.unref();
    this.#dispatch();
  }

  /** Ends the thread; the document it was reading, if any, is refused with `reason`. */
  #retire(worker: PooledWorker, reason?: unknown): void {
    if (worker.retired) return;
    worker.retired = true;
    clearTimeout(worker.timer);
    this.#busy.delete(worker);
    const idleAt = this.#idle.indexOf(worker);
    if (idleAt >= 0) this.#idle.splice(idleAt, 1);
    const task = worker.task;
    worker.task = undefined;
    const exited = worker.thread.terminate().catch(() => undefined);
    this.#exiting.add(exited);
    void exited.then(() => this.#exiting.delete(exited));
    if (task !== undefined) task.reject(reason ?? stopping());
    if (!this.#closed) this.#dispatch();
  }
}

const stopping = () => textExtractionFailed("The PDF's text was not read: the server is stopping.");

let sharedWorkers: PdfTextWorkers | undefined;

/** The process's pool, started on first use with `PDF_TEXT_WORKERS`. */
export function pdfTextWorkers(): PdfTextWorkers {
  sharedWorkers ??= new PdfTextWorkers();
  return sharedWorkers;
}

/** Ends the process's pool at shutdown (a later read starts a new one). */
export async function closePdfTextWorkers(): Promise<void> {
  const workers = sharedWorkers;
  sharedWorkers = undefined;
  await workers?.close();
}

/** Single spaces, at most one blank line, as unpdf's mergePages does. */
function normalizePdfText(text: string): string {
  return text.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
