go test fuzz v1
string("i-a-app")
string("db.internal.example.com")
