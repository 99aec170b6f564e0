// Built by web/build/emoji-data.ts: one [group name, entries] pair per emoji group.
declare module "virtual:emoji-data" {
  const groups: [string, string][];
  export default groups;
}
