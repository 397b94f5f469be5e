"""The clocks of a case — statutory deadlines and the green channel's targets — worked out on the working
calendar, kept as rows in the database, and the worklist built on them."""
