// The stick's non-volatile memory: legacy OSAL items (id -> bytes) and the extended
// NVOCMP tables (system id, item id, sub id -> bytes) that Z-Stack 3.x on CC26x2 uses.

export interface NvSnapshot {
  osal: Record<string, string>;
  /** key "sysId:itemId" (hex) -> subId (decimal) -> hex bytes */
  extended: Record<string, Record<string, string>>;
}

function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

export class NvStore {
  private readonly osal = new Map<number, Buffer>();
  private readonly extended = new Map<string, Map<number, Buffer>>();
  /** Called after every change, so the owner can persist. */
  onChange: () => void = () => {};

  // --- OSAL items -------------------------------------------------------------------------

  has(id: number): boolean {
    return this.osal.has(id);
  }

  get(id: number): Buffer | undefined {
    return this.osal.get(id);
  }

  length(id: number): number {
    return this.osal.get(id)?.length ?? 0;
  }

  set(id: number, value: Buffer): void {
    this.osal.set(id, Buffer.from(value));
    this.onChange();
  }

  /** Overwrite part of an existing item; false when the write does not fit. */
  write(id: number, offset: number, value: Buffer): boolean {
    const item = this.osal.get(id);
    if (!item || offset + value.length > item.length) return false;
    value.copy(item, offset);
    this.onChange();
    return true;
  }

  delete(id: number): boolean {
    const existed = this.osal.delete(id);
    if (existed) this.onChange();
    return existed;
  }

  // --- extended tables --------------------------------------------------------------------

  private table(sysId: number, itemId: number, create: boolean): Map<number, Buffer> | undefined {
    const key = `${sysId}:${itemId}`;
    let table = this.extended.get(key);
    if (!table && create) {
      table = new Map();
      this.extended.set(key, table);
    }
    return table;
  }

  getEx(sysId: number, itemId: number, subId: number): Buffer | undefined {
    return this.table(sysId, itemId, false)?.get(subId);
  }

  setEx(sysId: number, itemId: number, subId: number, value: Buffer): void {
    this.table(sysId, itemId, true)!.set(subId, Buffer.from(value));
    this.onChange();
  }

  writeEx(sysId: number, itemId: number, subId: number, offset: number, value: Buffer): boolean {
    const entry = this.getEx(sysId, itemId, subId);
    if (!entry || offset + value.length > entry.length) return false;
    value.copy(entry, offset);
    this.onChange();
    return true;
  }

  deleteEx(sysId: number, itemId: number, subId: number): boolean {
    const existed = this.table(sysId, itemId, false)?.delete(subId) ?? false;
    if (existed) this.onChange();
    return existed;
  }

  /** Every entry of one extended table, in sub-id order. */
  entriesEx(sysId: number, itemId: number): Array<[number, Buffer]> {
    return [...(this.table(sysId, itemId, false) ?? new Map<number, Buffer>()).entries()].sort((a, b) => a[0] - b[0]);
  }

  // --- persistence ------------------------------------------------------------------------

  snapshot(): NvSnapshot {
    const osal: Record<string, string> = {};
    for (const [id, value] of [...this.osal.entries()].sort((a, b) => a[0] - b[0])) osal[hex4(id)] = value.toString('hex');
    const extended: Record<string, Record<string, string>> = {};
    for (const [key, table] of this.extended) {
      const [sysId, itemId] = key.split(':').map(Number);
      const out: Record<string, string> = {};
      for (const [subId, value] of [...table.entries()].sort((a, b) => a[0] - b[0])) out[String(subId)] = value.toString('hex');
      extended[`${hex4(sysId)}:${hex4(itemId)}`] = out;
    }
    return { osal, extended };
  }

  restore(snapshot: NvSnapshot): void {
    this.osal.clear();
    this.extended.clear();
    for (const [id, value] of Object.entries(snapshot.osal ?? {})) this.osal.set(Number(id), Buffer.from(value, 'hex'));
    for (const [key, table] of Object.entries(snapshot.extended ?? {})) {
      const [sysId, itemId] = key.split(':').map(Number);
      const map = new Map<number, Buffer>();
      for (const [subId, value] of Object.entries(table)) map.set(Number(subId), Buffer.from(value, 'hex'));
      this.extended.set(`${sysId}:${itemId}`, map);
    }
  }
}
