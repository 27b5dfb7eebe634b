from cfglint.cli import main

main(prog_name="cfglint")
