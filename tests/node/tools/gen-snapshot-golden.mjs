// Prints the Yjs reference bytes used by crdt/src/snapshot_test.cc (paste as hex constants):
// an update of a two-client doc with deletions, and the v1 / v2 encodings of its snapshot.
// Run: cd tests/node && node tools/gen-snapshot-golden.mjs
import * as Y from 'yjs';

const hex = (u8) => Buffer.from(u8).toString('hex');
const a = new Y.Doc({ gc: false });
a.clientID = 7;
const b = new Y.Doc({ gc: false });
b.clientID = 300;
a.getText('t').insert(0, 'hello world');
Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
b.getText('t').insert(5, ' big');
b.getText('t').delete(0, 2);
a.getText('t').delete(6, 3);
Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
a.getText('t').delete(1, 1);
const snap = Y.snapshot(a);
console.log('update', hex(Y.encodeStateAsUpdate(a)));
console.log('snapshot_v1', hex(Y.encodeSnapshot(snap)));
console.log('snapshot_v2', hex(Y.encodeSnapshotV2(snap)));
console.log('empty_v1', hex(Y.encodeSnapshot(Y.emptySnapshot)));
console.log('empty_v2', hex(Y.encodeSnapshotV2(Y.emptySnapshot)));

// Relative positions (crdt/src/relative_position_test.cc).
const r = new Y.Doc();
r.clientID = 300;
const rt = r.getText('t');
rt.insert(0, 'hello');
for (const [index, assoc] of [[2, 0], [5, -1], [5, 0]]) {
  const rpos = Y.createRelativePositionFromTypeIndex(rt, index, assoc);
  console.log(`relpos index=${index} assoc=${assoc}`, hex(Y.encodeRelativePosition(rpos)));
}

// createDocFromSnapshot (crdt/src/snapshot_test.cc): the state of `a` at `snap` after more
// edits, and snapshotContainsUpdate.
const later = Y.encodeStateAsUpdate(a);
a.getText('t').insert(3, 'XYZ');
a.getText('t').delete(0, 4);
console.log('update_later', hex(Y.encodeStateAsUpdate(a)));
console.log('from_snapshot', hex(Y.encodeStateAsUpdate(Y.createDocFromSnapshot(a, snap))));
console.log('contains_old', Y.snapshotContainsUpdate(snap, later));
console.log('contains_new', Y.snapshotContainsUpdate(snap, Y.encodeStateAsUpdate(a)));

// Absolute resolution after a concurrent edit: position at index 3 of "hello" (client 300)
// after client 9 inserted "ab" at 0 and deleted index 4.
const c = new Y.Doc();
c.clientID = 9;
Y.applyUpdate(c, Y.encodeStateAsUpdate(r));
const p3 = Y.createRelativePositionFromTypeIndex(rt, 3, 0);
c.getText('t').insert(0, 'ab');
c.getText('t').delete(4, 1);
console.log('concurrent', hex(Y.encodeStateAsUpdate(c)));
console.log('abs_index', Y.createAbsolutePositionFromRelativePosition(p3, c).index);
console.log('json', JSON.stringify(Y.relativePositionToJSON(p3)));
