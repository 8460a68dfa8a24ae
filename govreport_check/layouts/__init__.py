"""Layout readers: each turns one way a table can be written into `Table`s of `Cell`s."""
