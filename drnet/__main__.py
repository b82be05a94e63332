from drnet.cli import main

main()
