// placeholder: helper writes check_book
