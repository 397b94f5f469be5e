"""The working calendar: which days the office works, in any year (statutory holidays, the State Council's
schedule, weekends), and the periods counted on it."""
