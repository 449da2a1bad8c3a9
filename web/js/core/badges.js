// Counters the header shows (unread messages), shared by the views that change them.
const counts = { messages: 0 };
const listeners = new Set();

export const badges = {
  get messages() {
    return counts.messages;
  },
  setMessages(n) {
    counts.messages = Math.max(0, n);
    listeners.forEach((fn) => fn(counts));
  },
  addMessages(n) {
    badges.setMessages(counts.messages + n);
  },
  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

/** The thread the person is looking at (its messages arrive read), or null. */
export const viewing = { counterpart: null };
