// protobufjs JSON descriptors (Root.fromJSON) written as the .proto files read: a field is its type
// and its number. Shared by the tfevents and W&B descriptors, whose readers take the numbers from them.

export const field = <T extends string, N extends number>(type: T, id: N) => ({ type, id }) as const;
export const repeated = <T extends string, N extends number>(type: T, id: N) => ({ rule: 'repeated', type, id }) as const;
/** A repeated number field in packed encoding (proto3's default for scalars). */
export const packed = <T extends string, N extends number>(type: T, id: N) => ({ rule: 'repeated', type, id, options: { packed: true } }) as const;
