// Package iam holds the pure rules of identity and access management: the entities of the
// hierarchy (region → tenant → organization → workspace), users and their lifecycle, roles,
// permissions and groups, their validation, and the rules that guard grants (tier rule,
// permission escalation, last super administrator, system immutability).
//
// It knows nothing of ent, SQL or HTTP. Every rule violation is an *errs.Error with a stable
// code, so the single HTTP mapper can answer it without knowing where it came from.
package iam
