/**
 * IPP/2.0 Get-Printer-Attributes and Print-Job (RFC 8011 §4.2, encoding RFC 8010 §3),
 * carried in HTTP POSTs to the printer's port 631 with Content-Type application/ipp.
 * @module
 */

export const IPP_PORT = 631;
const OP_PRINT_JOB = 0x0002;
const OP_GET_PRINTER_ATTRIBUTES = 0x000b;

const TAG_OPERATION = 0x01;
const TAG_JOB = 0x02;
const TAG_END = 0x03;
const TAG_PRINTER = 0x04;
const V_INTEGER = 0x21;
const V_ENUM = 0x23;
const V_NAME = 0x42;
const V_KEYWORD = 0x44;
const V_URI = 0x45;
const V_CHARSET = 0x47;
const V_LANGUAGE = 0x48;
const V_MIME = 0x49;

class Writer {
  readonly parts: Buffer[] = [];

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  tag(t: number): this {
    return this.raw(Buffer.from([t]));
  }

  /** One value; `name` empty for an additional value of the previous attribute. */
  attr(vtag: number, name: string, v: string | number): this {
    const val =
      typeof v === 'number'
        ? (() => {
            const b = Buffer.alloc(4);
            b.writeInt32BE(v);
            return b;
          })()
        : Buffer.from(v, 'utf8');
    const head = Buffer.alloc(3 + name.length + 2);
    head[0] = vtag;
    head.writeUInt16BE(name.length, 1);
    head.write(name, 3, 'latin1');
    head.writeUInt16BE(val.length, 3 + name.length);
    return this.raw(head).raw(val);
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function header(codeOrOp: number, requestId: number): Buffer {
  const b = Buffer.alloc(8);
  b[0] = 2;
  b[1] = 0;
  b.writeUInt16BE(codeOrOp, 2);
  b.writeUInt32BE(requestId >>> 0, 4);
  return b;
}

function operationGroup(w: Writer, printerUri: string): Writer {
  return w
    .tag(TAG_OPERATION)
    .attr(V_CHARSET, 'attributes-charset', 'utf-8')
    .attr(V_LANGUAGE, 'attributes-natural-language', 'en')
    .attr(V_URI, 'printer-uri', printerUri);
}

export function ippGetPrinterAttributes(requestId: number, printerUri: string): Buffer {
  const w = new Writer().raw(header(OP_GET_PRINTER_ATTRIBUTES, requestId));
  operationGroup(w, printerUri)
    .attr(V_KEYWORD, 'requested-attributes', 'printer-state')
    .attr(V_KEYWORD, '', 'printer-state-reasons')
    .attr(V_KEYWORD, '', 'marker-levels')
    .tag(TAG_END);
  return w.done();
}

export function ippPrinterAttributes(
  requestId: number,
  state: number,
  levels: readonly number[],
): Buffer {
  const w = new Writer()
    .raw(header(0x0000, requestId))
    .tag(TAG_OPERATION)
    .attr(V_CHARSET, 'attributes-charset', 'utf-8')
    .attr(V_LANGUAGE, 'attributes-natural-language', 'en')
    .tag(TAG_PRINTER)
    .attr(V_ENUM, 'printer-state', state)
    .attr(V_KEYWORD, 'printer-state-reasons', 'none');
  levels.forEach((l, i) => w.attr(V_INTEGER, i === 0 ? 'marker-levels' : '', l));
  return w.tag(TAG_END).done();
}

/** Print-Job: operation attributes, then the document (the caller appends its bytes). */
export function ippPrintJobHead(
  requestId: number,
  printerUri: string,
  user: string,
  job: string,
): Buffer {
  const w = new Writer().raw(header(OP_PRINT_JOB, requestId));
  operationGroup(w, printerUri)
    .attr(V_NAME, 'requesting-user-name', user)
    .attr(V_NAME, 'job-name', job)
    .attr(V_MIME, 'document-format', 'application/pdf')
    .tag(TAG_END);
  return w.done();
}

export function ippJobCreated(requestId: number, jobId: number, printerUri: string): Buffer {
  return new Writer()
    .raw(header(0x0000, requestId))
    .tag(TAG_OPERATION)
    .attr(V_CHARSET, 'attributes-charset', 'utf-8')
    .attr(V_LANGUAGE, 'attributes-natural-language', 'en')
    .tag(TAG_JOB)
    .attr(V_URI, 'job-uri', `${printerUri}/job-${jobId}`)
    .attr(V_INTEGER, 'job-id', jobId)
    .attr(V_ENUM, 'job-state', 3)
    .tag(TAG_END)
    .done();
}
