// Imported first by the benches that draw the board: chalk decides its colour level when it loads, from the process's
// own stdout (a pipe here), and bxtop's board on a terminal draws in colour; without this the bench would time Ink
// tokenising plain text.
process.env.FORCE_COLOR ??= '3';
