// Who gets a tile in the grid. The recorder (role `recorder`, the server's recording peer) is a
// participant of the room but no person: it sends nothing to show, and the recording indicator
// already says it is there, so it gets no tile (and does not count among the people).
export const RECORDER_ROLE = 'recorder';

export function onGrid(participant) {
  return Boolean(participant) && participant.role !== RECORDER_ROLE;
}
