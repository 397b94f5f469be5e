"""Attachments (附件): evidence filed with a case — scanned contracts, pay slips, signed agreements, ID
copies — checked by content, kept in a store behind one small interface, served only to those who may see
the case, and taken off a case only by hiding them with a reason."""
